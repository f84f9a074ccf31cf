"""The registry follows each case (issue 11 §1): on `cases.signals.case_changed` the entry is
brought in line with the case's facts, inside the case's own transaction, and frozen when the
case closes. A frozen entry no longer follows its case (the removal of personal data leaves it
as it is, RULES R9); a reopened case thaws it. Each change is recorded with what changed.

A coordinator's correction of a frozen entry outlives a reopening: it keeps standing while the
case's fact it corrected stays what it was, and lapses once the case's handling changes that
fact (the newer fact wins, recorded as a change of the case handling)."""

import dataclasses
import datetime
import uuid

from django.utils import timezone

from integriteit.cases.facts import CaseFacts, facts_of
from integriteit.investigations.facts import executor_of

from .constants import EntrySource
from .entries import EntryValues, apply_values
from .models import Entry

# Measures of the case handling that the registry's current list names otherwise: the legacy
# codes of before the cao Rijk of 2020 count as "other measure" (RULES R13).
SYSTEM_MEASURES = {
    "legacy_suspension_punitive": "other",
    "legacy_salary_reduction": "other",
}


def on_case_changed(sender, report_id: uuid.UUID, **kwargs) -> None:
    follow(report_id)


def follow(report_id: uuid.UUID) -> Entry | None:
    facts = facts_of(report_id)
    if facts is None:
        return None
    entry = Entry.objects.select_for_update().filter(report_id=report_id).first()
    if entry is not None and entry.frozen_at is not None and facts.closed:
        return entry
    values = _values_from(facts, executor_of(report_id))
    if entry is not None:
        values = _with_standing_corrections(entry, values)
    if entry is None:
        entry = Entry(report_id=report_id, source=EntrySource.SYSTEM)
    was_frozen = entry.frozen_at is not None
    entry.frozen_at = timezone.now() if facts.closed else None
    apply_values(entry, values, source=EntrySource.SYSTEM)
    if was_frozen != facts.closed:
        entry.save(update_fields=["frozen_at", "updated_at"])
    return entry


DATE_FIELDS = ("received_on", "acknowledged_on", "fed_back_on", "closed_on")


def standing_corrections(entry: Entry) -> dict[str, tuple]:
    """{field: (the case's value when corrected, the corrected value)} of the manual
    corrections that no later change of the case handling has replaced."""
    standing: dict[str, tuple] = {}
    for change in entry.changes.order_by("at", "pk"):
        for field, (before, after) in change.fields.items():
            if change.source == EntrySource.MANUAL:
                standing[field] = (before, after)
            else:
                standing.pop(field, None)
    return standing


def _with_standing_corrections(entry: Entry, values: EntryValues) -> EntryValues:
    from_case = values.comparable_dict()
    kept = {
        field: corrected
        for field, (corrected_from, corrected) in standing_corrections(entry).items()
        if from_case.get(field) == corrected_from
    }
    for field in DATE_FIELDS:
        if kept.get(field) is not None:
            kept[field] = datetime.date.fromisoformat(kept[field])
    return dataclasses.replace(values, **kept)


def _values_from(facts: CaseFacts, executor: str | None) -> EntryValues:
    measures: dict[str, int] = {}
    for code, count in facts.measures.items():
        code = SYSTEM_MEASURES.get(code, code)
        measures[code] = measures.get(code, 0) + count
    return EntryValues(
        organisation_id=facts.organisation_id,
        reference=facts.reference,
        unit_id=facts.unit_id,
        kind=facts.kind,
        channel=facts.channel,
        violation_types=sorted(facts.violation_types),
        received_on=facts.received_on,
        acknowledged_on=facts.acknowledged_on,
        fed_back_on=facts.fed_back_on,
        closed_on=facts.closed_on,
        follow_up=facts.follow_up,
        investigated=executor is not None,
        executor=executor or "",
        findings=dict(sorted(facts.findings.items())),
        measures=dict(sorted(measures.items())),
        criminal_complaints=facts.criminal_complaints,
        persons_involved=facts.persons_involved,
        version_year=None,  # the case handling registers in the current lists
    )
