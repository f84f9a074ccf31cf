"""The decision and measures by the competent authority (RULES R10, R11, R13)."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.reports.models import Report

from ..guards import CaseAction
from ..models import (
    Decision,
    Finding,
    Hearing,
    Measure,
    MeasureType,
    OrderMeasure,
    Subject,
)
from ..signals import case_changed
from .base import CaseError, _advance, _guard, _locked, _require, seal_on


@transaction.atomic
def record_decision(
    user: User,
    report: Report,
    *,
    summary: str,
    findings: Mapping[str, bool],
    decided_on: datetime.date,
) -> Decision:
    _require(user, Action.DECIDE, report)
    _guard(CaseAction.RECORD_DECISION, report)
    if not summary.strip():
        raise CaseError(_("Summarise the decision."))
    decision, _created = Decision.objects.update_or_create(
        report=report,
        defaults={
            "decided_by": user,
            "decided_at": timezone.make_aware(
                datetime.datetime.combine(decided_on, datetime.time(12))
            ),
            "sealed_summary": b"",
        },
    )
    seal_on(decision, "sealed_summary", summary)
    decision.findings.all().delete()
    classified = {t.code: t for t in report.classified_types.all()}
    if unknown := sorted(set(findings) - set(classified)):
        raise CaseError(
            _("Findings can only be recorded for the classified types; not for: %(codes)s.")
            % {"codes": ", ".join(unknown)}
        )
    types = classified
    Finding.objects.bulk_create(
        [
            Finding(decision=decision, violation_type=types[c], established=v)
            for c, v in findings.items()
        ]
    )
    # bulk_create sends no post_save: the registry is told here (cases.facts).
    case_changed.send(sender=Finding, report_id=report.pk)
    record(
        Actor.of(user),
        "case.decision_recorded",
        "report",
        report.pk,
        {"findings": {c: bool(v) for c, v in sorted(findings.items())}},
    )
    return decision


@transaction.atomic
def complete_decision(user: User, report: Report) -> None:
    _require(user, Action.DECIDE, report)
    report = _locked(report)
    _guard(CaseAction.COMPLETE_DECISION, report)
    _advance(user, report, "record_decision")


@transaction.atomic
def record_hearing(
    user: User,
    report: Report,
    subject: Subject,
    *,
    held_on: datetime.date,
    form: str,
    assisted_by: str,
    record_text: str,
) -> Hearing:
    """RULES R10: the employee is heard, in writing and/or orally, with assistance of choice."""
    _require(user, Action.MEASURE, report)
    if subject.report_id != report.pk:
        raise PermissionDenied
    _guard(CaseAction.RECORD_HEARING, report)
    if not record_text.strip():
        raise CaseError(_("Record what the employee said."))
    hearing = Hearing.objects.create(
        report=report,
        subject=subject,
        held_on=held_on,
        form=form,
        sealed_record=b"",
        recorded_by=user,
    )
    seal_on(hearing, "sealed_record", record_text)
    if assisted_by:
        seal_on(hearing, "sealed_assisted_by", assisted_by)
    record(Actor.of(user), "case.hearing_recorded", "report", report.pk, {"subject": subject.pk})
    return hearing


@transaction.atomic
def impose_measure(
    user: User,
    report: Report,
    subject: Subject | None,
    measure_code: str,
    imposed_on: datetime.date,
) -> Measure:
    """RULES R13 measures, each only after the employee's hearing is recorded (RULES R10)."""
    _require(user, Action.MEASURE, report)
    if subject is not None and subject.report_id != report.pk:
        raise PermissionDenied
    _guard(CaseAction.IMPOSE_MEASURE, report)
    measure_type = MeasureType.objects.get(code=measure_code)
    if measure_type.is_legacy:
        raise CaseError(_("This measure is kept for older records only."))
    hearing = None
    if measure_type.requires_hearing:
        if subject is None:
            raise CaseError(_("Choose the employee the measure applies to."))
        hearing = subject.hearings.order_by("-held_on").first()
        if hearing is None:
            raise CaseError(_("The employee must be heard before any measure (RULES R10)."))
    measure = Measure.objects.create(
        report=report,
        subject=subject,
        measure_type=measure_type,
        hearing=hearing,
        imposed_on=imposed_on,
        imposed_by=user,
    )
    record(Actor.of(user), "case.measure_imposed", "report", report.pk, {"measure": measure_code})
    return measure


@transaction.atomic
def impose_order_measure(
    user: User,
    report: Report,
    subject: Subject,
    *,
    kind: str,
    reason: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> OrderMeasure:
    """RULES R11: reasoned and no longer than necessary, so it always has an end date."""
    _require(user, Action.MEASURE, report)
    if subject.report_id != report.pk:
        raise PermissionDenied
    _guard(CaseAction.IMPOSE_ORDER_MEASURE, report)
    if not reason.strip():
        raise CaseError(_("An order measure needs a reason."))
    if starts_on is None or ends_on is None:
        raise CaseError(_("An order measure needs a start and an end date (RULES R11)."))
    if ends_on < starts_on:
        raise CaseError(_("The end date must be on or after the start date."))
    measure = OrderMeasure.objects.create(
        report=report,
        subject=subject,
        kind=kind,
        sealed_reason=b"",
        starts_on=starts_on,
        ends_on=ends_on,
        imposed_by=user,
    )
    seal_on(measure, "sealed_reason", reason)
    record(Actor.of(user), "case.order_measure", "report", report.pk, {"kind": kind})
    return measure


@transaction.atomic
def lift_order_measure(user: User, measure: OrderMeasure, lifted_on: datetime.date) -> None:
    _require(user, Action.MEASURE, measure.report)
    _guard(CaseAction.LIFT_ORDER_MEASURE, measure.report)
    if measure.lifted_on is not None:
        raise CaseError(_("This order measure has already been lifted."))
    if lifted_on < measure.starts_on:
        raise CaseError(_("An order measure cannot be lifted before it starts."))
    measure.lifted_on = lifted_on
    measure.save(update_fields=["lifted_on"])
    record(Actor.of(user), "case.order_measure_lifted", "report", measure.report_id)
