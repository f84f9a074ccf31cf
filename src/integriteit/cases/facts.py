"""The non-identifying facts of a case that the registry counts (SYSTEM.md module 5), read
here so that the registry never reads case models; and the `case_changed` signal sent whenever
one of them may have changed.

The signal follows the saves and removals of the rows that hold the facts; a service that writes
such rows in bulk (bulk_create and update() send no model signals) sends it itself.

The facts name codes, dates and counts only: no text, no person, no unit below the top level.
"""

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from .models import Decision, Feedback, Finding, FollowUp, Measure, Subject
from .signals import case_changed

CRIMINAL_COMPLAINT = "criminal_complaint"


@dataclass(frozen=True)
class CaseFacts:
    report_id: uuid.UUID
    organisation_id: int
    reference: str
    unit_id: int | None
    kind: str
    channel: str
    violation_types: frozenset[str]
    received_on: datetime.date
    acknowledged_on: datetime.date | None
    fed_back_on: datetime.date | None
    closed_on: datetime.date | None
    follow_up: str
    findings: dict[str, bool] = field(default_factory=dict)
    measures: dict[str, int] = field(default_factory=dict)  # measure code: how many
    criminal_complaints: int = 0
    persons_involved: int = 0

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def facts_of(report_id: uuid.UUID) -> CaseFacts | None:
    """The facts of a submitted report, or None (a draft, or no such report)."""
    report = (
        Report.objects.filter(pk=report_id, submitted_at__isnull=False)
        .select_related("unit")
        .prefetch_related("reported_types", "classified_types")
        .first()
    )
    if report is None:
        return None
    types = report.classified_types.all() if report.classified_at else report.reported_types.all()
    measures = Counter(
        Measure.objects.filter(report=report).values_list("measure_type__code", flat=True)
    )
    complaints = measures.pop(CRIMINAL_COMPLAINT, 0)
    follow_up = FollowUp.objects.filter(report=report).values_list("route", flat=True).first()
    return CaseFacts(
        report_id=report.pk,
        organisation_id=report.organisation_id,
        reference=report.reference,
        unit_id=_top_unit_id(report),
        kind=report.classified_kind or report.kind,
        channel=report.channel,
        violation_types=frozenset(t.code for t in types),
        received_on=timezone.localdate(report.received_at or report.submitted_at),
        acknowledged_on=_day(report.acknowledged_at),
        fed_back_on=_day(report.feedback_given_at),
        closed_on=_day(report.closed_at) if report.phase == Phase.CLOSED else None,
        follow_up=follow_up or "",
        findings=dict(
            Finding.objects.filter(decision__report=report).values_list(
                "violation_type__code", "established"
            )
        ),
        measures=dict(measures),
        criminal_complaints=complaints,
        persons_involved=Subject.objects.filter(report=report).count(),
    )


def _top_unit_id(report: Report) -> int | None:
    """The coarsest unit: the top of the report's unit's line (REGISTRY_UNIT_DEPTH)."""
    if report.unit is None:
        return None
    return report.unit.ancestors_and_self()[-1].pk


def _changed(sender, instance, **kwargs) -> None:
    report_id = instance.pk if isinstance(instance, Report) else _report_id_of(instance)
    if report_id is not None:
        case_changed.send(sender=sender, report_id=report_id)


def _report_id_of(instance) -> uuid.UUID | None:
    if isinstance(instance, Finding):
        return (
            Decision.objects.filter(pk=instance.decision_id)
            .values_list("report_id", flat=True)
            .first()
        )
    return instance.report_id


def _types_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Report):
        case_changed.send(sender=Report, report_id=instance.pk)


def connect() -> None:
    """Every save or removal of a row that holds a fact tells the registry (from apps.py)."""
    for model in (Report, FollowUp, Subject, Decision, Finding, Measure, Feedback):
        post_save.connect(_changed, sender=model, dispatch_uid=f"case-changed-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"case-changed-deleted-{model.__name__}"
        )
    for through in (Report.classified_types.through, Report.reported_types.through):
        m2m_changed.connect(
            _types_changed, sender=through, dispatch_uid=f"case-types-{through.__name__}"
        )
