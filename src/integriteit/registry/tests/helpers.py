"""Entries for the registry's page tests, written through the one writer (entries.apply_values)."""

import datetime
import uuid

from django.utils import timezone

from integriteit.organisations.models import Organisation
from integriteit.registry.constants import EntrySource
from integriteit.registry.entries import EntryValues, apply_values
from integriteit.registry.models import Entry


def values(organisation: str = "bzk", reference: str = "BZK-P-2023-001", **fields) -> EntryValues:
    data = {
        "organisation_id": Organisation.objects.get(slug=organisation).pk,
        "reference": reference,
        "kind": "integrity_violation",
        "received_on": datetime.date(2023, 3, 1),
        "channel": "manager",
        "violation_types": ["financial"],
        **fields,
    }
    return EntryValues(**data)


def make_entry(
    organisation: str = "bzk",
    reference: str = "BZK-P-2023-001",
    *,
    source: str = EntrySource.MANUAL,
    frozen: bool = False,
    **fields,
) -> Entry:
    entry = Entry(source=source)
    if source == EntrySource.SYSTEM:
        entry.report_id = uuid.uuid4()
        fields.setdefault("received_on", timezone.localdate() - datetime.timedelta(days=30))
    if frozen:
        entry.frozen_at = timezone.now()
    apply_values(entry, values(organisation, reference, **fields), source=source)
    return entry


def investigated(**fields) -> dict:
    """An investigated entry with an established finding and a measure (2023: legacy-free lists
    of 2022 for the types, cao 2020 for the measures)."""
    return {
        "investigated": True,
        "executor": "rijksrecherche",
        "findings": {"financial": True},
        "measures": {"written_reprimand": 2},
        "closed_on": datetime.date(2023, 6, 1),
        "criminal_complaints": 1,
        **fields,
    }
