"""Intake and assessment: scope, kind, urgency and the conflict-of-interest checklist."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.reports.constants import Kind
from integriteit.reports.models import Report, ViolationType
from integriteit.transactions import atomic_with_retry

from ..constants import (
    ConflictCheckItem,
)
from ..guards import CaseAction
from ..models import (
    Assessment,
    ConflictCheck,
)
from .base import CaseError, _advance, _guard, _locked, _require, seal_on


@atomic_with_retry
def start_assessment(user: User, report: Report) -> None:
    _require(user, Action.ASSESS, report)
    report = _locked(report)
    _guard(CaseAction.START_ASSESSMENT, report)
    Assessment.objects.get_or_create(report=report)
    _advance(user, report, "start_assessment")


@transaction.atomic
def record_assessment(
    user: User,
    report: Report,
    *,
    in_scope: bool,
    urgency: str,
    kind: str,
    type_codes: Sequence[str],
    notes: str = "",
) -> Assessment:
    _require(user, Action.ASSESS, report)
    _guard(CaseAction.RECORD_ASSESSMENT, report)
    if kind == Kind.INTEGRITY_VIOLATION and not type_codes:
        raise CaseError(_("Choose at least one type of integrity violation."))
    assessment, _created = Assessment.objects.get_or_create(report=report)
    assessment.in_scope, assessment.urgency = in_scope, urgency
    assessment.save()
    seal_on(assessment, "sealed_notes", notes)
    report.classified_kind = kind
    report.classified_at = timezone.now()
    report.save(update_fields=["classified_kind", "classified_at"])
    codes = type_codes if kind == Kind.INTEGRITY_VIOLATION else []
    report.classified_types.set(ViolationType.objects.filter(code__in=codes))
    record(
        Actor.of(user),
        "case.assessed",
        "report",
        report.pk,
        {"in_scope": in_scope, "urgency": urgency, "kind": kind, "types": sorted(codes)},
    )
    return assessment


@transaction.atomic
def check_conflict_item(user: User, report: Report, item: str) -> ConflictCheck:
    _require(user, Action.ASSESS, report)
    _guard(CaseAction.CHECK_CONFLICT_ITEM, report)
    check, _created = ConflictCheck.objects.get_or_create(
        report=report, item=ConflictCheckItem(item), defaults={"checked_by": user}
    )
    record(Actor.of(user), "case.conflict_checked", "report", report.pk, {"item": item})
    return check


@transaction.atomic
def complete_assessment(user: User, report: Report) -> None:
    _require(user, Action.ASSESS, report)
    report = _locked(report)
    _guard(CaseAction.COMPLETE_ASSESSMENT, report)
    assessment = getattr(report, "assessment", None)
    _advance(user, report, "complete_assessment")
    if assessment is not None:
        assessment.completed_at, assessment.completed_by = timezone.now(), user
        assessment.save(update_fields=["completed_at", "completed_by"])
