"""Writes of the registry's pages (issue 11 §1): registering a case handled outside the system
and correcting an entry. Each is one transaction with its audit record, and goes through the one
writer of entries (`entries.apply_values`), which records the EntryChange."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record

from . import access
from .constants import EntrySource
from .entries import EntryValues, apply_values, problems
from .models import Entry, EntryChange
from .selectors import correctable


class EntryInvalid(ValueError):
    """The values have problems, per field (shown beside the fields)."""

    def __init__(self, found: dict[str, list[str]]):
        super().__init__(found)
        self.problems = found


class NotCorrectable(PermissionDenied):
    """An entry of the case handling that is not frozen: its facts change in the case."""


def _check(values: EntryValues, entry: Entry | None) -> None:
    found = problems(values)
    taken = Entry.objects.filter(organisation_id=values.organisation_id, reference=values.reference)
    if entry is not None:
        taken = taken.exclude(pk=entry.pk)
    if taken.exists():
        found.setdefault("reference", []).append(
            _("This organisation already has an entry with this reference.")
        )
    if found:
        raise EntryInvalid(found)


def register_entry(user, values: EntryValues, *, reason: str = "") -> Entry:
    """A case handled outside the system (a paper file, an investigation by the
    Rijksrecherche), registered by one of the organisation's coordinators."""
    if not access.organisations_for_entries(user).filter(pk=values.organisation_id).exists():
        raise PermissionDenied
    return write_manual_entry(values, by=user, reason=reason)


def write_manual_entry(values: EntryValues, *, by, reason: str = "") -> Entry:
    """`register_entry` without the access check, for a caller that is no request: the demo
    loader, registering on behalf of the demo coordinator."""
    user = by
    with transaction.atomic():
        _check(values, None)
        entry = Entry(source=EntrySource.MANUAL)
        apply_values(entry, values, source=EntrySource.MANUAL, by=user, reason=reason)
        record(
            Actor.of(user),
            "registry.entry_registered",
            "registry_entry",
            entry.pk,
            {"organisation": entry.organisation_id, "reference": entry.reference},
        )
    return entry


def correct_entry(user, entry: Entry, values: EntryValues, *, reason: str) -> EntryChange | None:
    """A correction with a reason about the registration (never about people), recorded as a
    manual change; an entry of the case handling only once frozen. None when nothing changed
    (nothing is written then, and nothing audited)."""
    if not access.entries_visible_to(user).filter(pk=entry.pk).exists():
        raise PermissionDenied
    if not correctable(entry):
        raise NotCorrectable
    if values.organisation_id != entry.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        _check(values, entry)
        change = apply_values(entry, values, source=EntrySource.MANUAL, by=user, reason=reason)
        if change is not None:
            record(
                Actor.of(user),
                "registry.entry_corrected",
                "registry_entry",
                entry.pk,
                {"fields": sorted(change.fields), "change": change.pk},
            )
    return change
