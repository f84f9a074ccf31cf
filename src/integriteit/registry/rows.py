"""An entry as the registry list and its exports show it: one row of labels, never raw codes."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from integriteit.cases.constants import FollowUpRoute
from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.constants import Kind
from integriteit.ui import dates

from .constants import TaxonomyKind
from .models import Entry
from .selectors import category_names, is_open_on


@dataclasses.dataclass(frozen=True)
class Row:
    entry: Entry
    violation_types: list[str]
    outcome: list[tuple[str, bool]]  # (type, established)
    measures: list[tuple[str, int]]
    duration: int | None
    open: bool | None  # None: not yet received at the reference date

    @property
    def status(self) -> str:
        if self.open is None:
            return _("not yet received")
        return _("open") if self.open else _("closed")

    @property
    def investigation(self) -> str:
        if not self.entry.investigated:
            return _("no")
        executor = self.entry.executor
        return _("yes, by %(executor)s") % {"executor": executor.name} if executor else _("yes")

    @property
    def outcome_text(self) -> str:
        return "; ".join(
            f"{name}: {_('established') if established else _('not established')}"
            for name, established in self.outcome
        )

    @property
    def measures_text(self) -> str:
        return "; ".join(f"{name} × {count}" for name, count in self.measures)


def row_of(entry: Entry, on: datetime.date) -> Row:
    """Reads only what `selectors.with_facts` prefetched."""
    return Row(
        entry=entry,
        violation_types=[c.name for c in entry.violation_types.all()],
        outcome=[(f.violation_type.name, f.established) for f in entry.findings.all()],
        measures=[(m.measure.name, m.count) for m in entry.measures.all()],
        duration=_duration(entry, on),
        open=is_open_on(entry, on),
    )


def _duration(entry: Entry, on: datetime.date) -> int | None:
    if entry.received_on > on:
        return None
    end = entry.closed_on if entry.closed_on and entry.closed_on <= on else on
    return (end - entry.received_on).days


def header() -> list[str]:
    return [
        _("Organisation"),
        _("Reference"),
        _("Received"),
        _("Channel"),
        _("Kind of report"),
        _("Violation types"),
        _("Investigation"),
        _("Outcome"),
        _("Measures"),
        _("Criminal complaints"),
        _("Duration (days)"),
        _("Open or closed"),
        _("Source"),
        _("Frozen"),
    ]


def export_row(row: Row) -> list:
    entry = row.entry
    return [
        entry.organisation.abbreviation or entry.organisation.name,
        entry.reference,
        entry.received_on.isoformat(),
        entry.channel.name if entry.channel else "",
        entry.get_kind_display(),
        "; ".join(row.violation_types),
        row.investigation,
        row.outcome_text,
        row.measures_text,
        entry.criminal_complaints,
        row.duration,
        row.status,
        entry.get_source_display(),
        dates.day(entry.frozen_at) if entry.frozen_at else "",
    ]


# The labels of EntryValues' fields, as an entry's change history shows them.
FIELD_LABELS = {
    "organisation_id": _lazy("Organisation"),
    "reference": _lazy("Reference"),
    "kind": _lazy("Kind of report"),
    "unit_id": _lazy("Unit"),
    "channel": _lazy("Channel"),
    "violation_types": _lazy("Violation types"),
    "received_on": _lazy("Received"),
    "acknowledged_on": _lazy("Acknowledged"),
    "fed_back_on": _lazy("Feedback on the outcome"),
    "closed_on": _lazy("Closed"),
    "follow_up": _lazy("Follow-up"),
    "investigated": _lazy("An investigation followed"),
    "executor": _lazy("Investigated by"),
    "findings": _lazy("Outcome"),
    "measures": _lazy("Measures"),
    "criminal_complaints": _lazy("Criminal complaints"),
    "persons_involved": _lazy("Persons involved"),
}


@dataclasses.dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


class ValueNames:
    """Codes, ids and ISO dates of a change's fields as people read them (names from every
    version of the lists, read once per page)."""

    def __init__(self):
        self.names = {kind: category_names(kind) for kind in TaxonomyKind.values}
        self.kinds = dict(Kind.choices)
        self.routes = dict(FollowUpRoute.choices)

    def text(self, field: str, value) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "–"
        if field in ("received_on", "acknowledged_on", "fed_back_on", "closed_on"):
            return dates.day(datetime.date.fromisoformat(value))
        if field == "investigated":
            return _("yes") if value else _("no")
        if field == "kind":
            return str(self.kinds.get(value, value))
        if field == "follow_up":
            return str(self.routes.get(value, value))
        if field == "channel":
            return self.names[TaxonomyKind.CHANNEL].get(value, value)
        if field == "executor":
            return self.names[TaxonomyKind.EXECUTOR].get(value, value)
        types = self.names[TaxonomyKind.VIOLATION_TYPE]
        if field == "violation_types":
            return "; ".join(types.get(code, code) for code in value)
        if field == "findings":
            return "; ".join(
                f"{types.get(code, code)}: "
                f"{_('established') if established else _('not established')}"
                for code, established in value.items()
            )
        if field == "measures":
            measures = self.names[TaxonomyKind.MEASURE]
            return "; ".join(f"{measures.get(c, c)} × {n}" for c, n in value.items())
        if field == "organisation_id":
            found = Organisation.objects.filter(pk=value).first()
            return found.name if found else str(value)
        if field == "unit_id":
            found = Unit.objects.filter(pk=value).first()
            return found.name if found else str(value)
        return str(value)


def change_lines(change, names: ValueNames) -> list[ChangeLine]:
    return [
        ChangeLine(
            str(FIELD_LABELS.get(field, field)), names.text(field, before), names.text(field, after)
        )
        for field, (before, after) in change.fields.items()
    ]
