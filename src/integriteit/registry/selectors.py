"""Reads for the registry's pages (issue 11 §1, §7): every query starts at
`access.entries_visible_to`, so a coordinator sees her own organisations' entries and nobody
else sees one. The list loads a page of entries in a fixed number of queries, whatever the
number of entries (select_related and prefetch_related)."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from integriteit.ui.ids import primary_key

from . import access
from .constants import EntrySource, TaxonomyKind
from .models import Category, Entry, EntryChange, EntryFinding, EntryMeasure

OPEN = "open"
CLOSED = "closed"


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the registry list is narrowed to; empty values select everything."""

    organisation_id: int | None = None
    year: int | None = None
    kind: str = ""
    violation_type: str = ""
    status: str = ""  # OPEN or CLOSED at the reference date
    source: str = ""
    reference: str = ""
    on: datetime.date | None = None  # the reference date (standdatum); None: today


def with_facts(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Everything a row shows, in a constant number of queries."""
    return entries.select_related("organisation", "channel", "executor", "unit").prefetch_related(
        "violation_types",
        Prefetch("findings", EntryFinding.objects.select_related("violation_type")),
        Prefetch("measures", EntryMeasure.objects.select_related("measure")),
    )


def registry_list(user, filters: Filters, on: datetime.date) -> QuerySet[Entry]:
    """The user's entries, filtered, newest receipt first, then by reference."""
    entries = access.entries_visible_to(user)
    if filters.organisation_id:
        entries = entries.filter(organisation_id=filters.organisation_id)
    if filters.year:
        entries = entries.received_in(filters.year)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.violation_type:
        entries = entries.filter(violation_types__code=filters.violation_type).distinct()
    if filters.source:
        entries = entries.filter(source=filters.source)
    if filters.reference:
        entries = entries.filter(reference__icontains=filters.reference)
    if filters.status == OPEN:
        entries = entries.filter(received_on__lte=on).exclude(closed_on__lte=on)
    elif filters.status == CLOSED:
        entries = entries.filter(closed_on__lte=on)
    return with_facts(entries).order_by("-received_on", "reference", "pk")


def entry_for(user, entry_id) -> Entry:
    """One of the user's entries; 404 for another organisation's entry and for an id that is
    no id at all."""
    key = primary_key(Entry, entry_id)
    if key is None:
        raise Http404
    return get_object_or_404(with_facts(access.entries_visible_to(user)), pk=key)


def changes_of(entry: Entry) -> QuerySet[EntryChange]:
    return entry.changes.select_related("by").order_by("-at", "-pk")


def violation_type_choices() -> list[tuple[str, str]]:
    """Every violation type code of every version, once, with its most recent name."""
    names: dict[str, str] = {}
    for item in Category.objects.filter(taxonomy__kind=TaxonomyKind.VIOLATION_TYPE).order_by(
        "taxonomy__valid_from", "position"
    ):
        names[item.code] = item.name
    return sorted(names.items(), key=lambda pair: pair[1].lower())


def category_names(kind: str) -> dict[str, str]:
    """Code → name over every version of `kind` (a later version's name wins)."""
    return {
        item.code: item.name
        for item in Category.objects.filter(taxonomy__kind=kind).order_by("taxonomy__valid_from")
    }


def is_open_on(entry: Entry, on: datetime.date) -> bool | None:
    """Open at the reference date; None when the entry was not yet received then."""
    if entry.received_on > on:
        return None
    return entry.closed_on is None or entry.closed_on > on


def correctable(entry: Entry) -> bool:
    """Manual and imported entries always; an entry of the case handling only once frozen
    (before that the case is where its facts change)."""
    return entry.source != EntrySource.SYSTEM or entry.frozen_at is not None
