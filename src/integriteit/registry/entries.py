"""An entry's facts as plain values, and the one place that writes them: `apply_values` turns
codes into the taxonomy's items, records what changed and why (EntryChange), and `problems`
validates what a person typed or imported (issue 11: wrong type codes, dates out of order, a
measure without an established violation)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.utils.translation import gettext as _

from . import taxonomy
from .constants import EntrySource
from .models import Entry, EntryChange, EntryFinding, EntryMeasure

# Measures that say no sanction followed; they need no established violation.
NO_SANCTION = frozenset({"none", "other"})


@dataclasses.dataclass
class EntryValues:
    organisation_id: int
    reference: str
    kind: str
    received_on: datetime.date
    unit_id: int | None = None
    channel: str = ""
    violation_types: list[str] = dataclasses.field(default_factory=list)
    acknowledged_on: datetime.date | None = None
    fed_back_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    follow_up: str = ""
    investigated: bool = False
    executor: str = ""
    findings: dict[str, bool] = dataclasses.field(default_factory=dict)
    measures: dict[str, int] = dataclasses.field(default_factory=dict)
    criminal_complaints: int = 0
    persons_involved: int = 0
    # The registration year whose lists the codes belong to; None: the current lists.
    version_year: int | None = None

    def comparable_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("version_year")
        return {key: _plain(value) for key, value in data.items()}


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def values_of(entry: Entry) -> EntryValues:
    return EntryValues(
        organisation_id=entry.organisation_id,
        reference=entry.reference,
        unit_id=entry.unit_id,
        kind=entry.kind,
        channel=entry.channel.code if entry.channel else "",
        violation_types=sorted(c.code for c in entry.violation_types.all()),
        received_on=entry.received_on,
        acknowledged_on=entry.acknowledged_on,
        fed_back_on=entry.fed_back_on,
        closed_on=entry.closed_on,
        follow_up=entry.follow_up,
        investigated=entry.investigated,
        executor=entry.executor.code if entry.executor else "",
        findings=dict(sorted((f.violation_type.code, f.established) for f in entry.findings.all())),
        measures=dict(sorted((m.measure.code, m.count) for m in entry.measures.all())),
        criminal_complaints=entry.criminal_complaints,
        persons_involved=entry.persons_involved,
    )


def problems(values: EntryValues) -> dict[str, list[str]]:
    """What is wrong with typed or imported values, per field, in the user's language."""
    found: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        found.setdefault(field, []).append(message)

    year = values.version_year or values.received_on.year
    for field, kind, codes in (
        ("violation_types", taxonomy.VIOLATION_TYPE, values.violation_types),
        ("findings", taxonomy.VIOLATION_TYPE, list(values.findings)),
        ("measures", taxonomy.MEASURE, list(values.measures)),
        ("channel", taxonomy.CHANNEL, [values.channel] if values.channel else []),
        ("executor", taxonomy.EXECUTOR, [values.executor] if values.executor else []),
    ):
        try:
            taxonomy.categories(taxonomy.version_for(kind, year), codes)
        except taxonomy.UnknownCode as error:
            add(
                field,
                _("Unknown code(s) %(codes)s: the list %(list)s does not have them.")
                % {"codes": ", ".join(error.codes), "list": error.taxonomy.name},
            )
    if unclassified := sorted(set(values.findings) - set(values.violation_types)):
        add(
            "findings",
            _("A finding names a type the report does not have: %(codes)s.")
            % {"codes": ", ".join(unclassified)},
        )
    _check_dates(values, add)
    sanctions = {code for code, count in values.measures.items() if count} - NO_SANCTION
    if sanctions and not any(values.findings.values()):
        add("measures", _("A measure was recorded but no violation was established."))
    if any(count < 1 for count in values.measures.values()):
        add("measures", _("Each measure is counted at least once."))
    if values.executor and not values.investigated:
        add("executor", _("An executor is named but no investigation is recorded."))
    if values.findings and not values.investigated:
        add("findings", _("Findings need an investigation."))
    return found


def _check_dates(values: EntryValues, add) -> None:
    today = datetime.date.today()
    if values.received_on > today:
        add("received_on", _("The date of receipt lies in the future."))
    for field, label in (
        ("acknowledged_on", _("acknowledged")),
        ("fed_back_on", _("feedback")),
        ("closed_on", _("closed")),
    ):
        day = getattr(values, field)
        if day is not None and day < values.received_on:
            add(field, _("The date %(what)s lies before the date of receipt.") % {"what": label})
    if values.closed_on and values.fed_back_on and values.fed_back_on > values.closed_on:
        add("fed_back_on", _("Feedback is dated after the closure."))


def apply_values(
    entry: Entry, values: EntryValues, *, source: str, by=None, reason: str = ""
) -> EntryChange | None:
    """Write `values` onto `entry` (saved or new), resolving codes in the lists of the
    registration year; record what changed. Nothing is written when nothing changed."""
    before = values_of(entry).comparable_dict() if entry.pk else {}
    after = values.comparable_dict()
    changed = {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }
    if not changed and entry.pk:
        return None
    year = values.version_year or (
        None if source == EntrySource.SYSTEM else values.received_on.year
    )

    def items(kind, codes):
        return taxonomy.categories(taxonomy.version_for(kind, year), codes)

    for field in (
        "organisation_id",
        "reference",
        "unit_id",
        "kind",
        "received_on",
        "acknowledged_on",
        "fed_back_on",
        "closed_on",
        "follow_up",
        "investigated",
        "criminal_complaints",
        "persons_involved",
    ):
        setattr(entry, field, getattr(values, field))
    entry.channel = items(taxonomy.CHANNEL, [values.channel])[0] if values.channel else None
    entry.executor = items(taxonomy.EXECUTOR, [values.executor])[0] if values.executor else None
    entry.save()
    entry.violation_types.set(items(taxonomy.VIOLATION_TYPE, values.violation_types))
    by_code = {c.code: c for c in items(taxonomy.VIOLATION_TYPE, list(values.findings))}
    entry.findings.all().delete()
    EntryFinding.objects.bulk_create(
        EntryFinding(entry=entry, violation_type=by_code[code], established=established)
        for code, established in values.findings.items()
    )
    by_code = {c.code: c for c in items(taxonomy.MEASURE, list(values.measures))}
    entry.measures.all().delete()
    EntryMeasure.objects.bulk_create(
        EntryMeasure(entry=entry, measure=by_code[code], count=count)
        for code, count in values.measures.items()
    )
    return EntryChange.objects.create(
        entry=entry, by=by, source=source, reason=reason, fields=changed
    )
