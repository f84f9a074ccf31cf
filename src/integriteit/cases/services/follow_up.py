"""The decision on follow-up and its outcome."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.reports import services as report_services
from integriteit.reports.constants import MessageKind, Sender
from integriteit.reports.models import Report

from .. import workflow
from ..constants import (
    FollowUpRoute,
    ReferralTarget,
)
from ..guards import CaseAction
from ..models import (
    FollowUp,
)
from .base import CaseError, _advance, _guard, _locked, _require, seal_on


@transaction.atomic
def decide_follow_up(
    user: User,
    report: Report,
    route: str,
    reason: str,
    *,
    referral_target: str = "",
    referral_organisation: str = "",
    message_to_reporter: str = "",
) -> FollowUp:
    """The follow-up decision; a referral or "no further action" is explained to the reporter."""
    _require(user, Action.DECIDE_FOLLOW_UP, report)
    report = _locked(report)
    _guard(CaseAction.DECIDE_FOLLOW_UP, report)
    if not reason.strip():
        raise CaseError(_("Give the reason for this decision."))
    route = FollowUpRoute(route)
    if route == FollowUpRoute.REFERRAL and not referral_target:
        raise CaseError(_("Say where the report is referred to."))
    if referral_target == ReferralTarget.OTHER_ORGANISATION and not referral_organisation:
        raise CaseError(_("Name the organisation the report is referred to."))
    if (
        route in {FollowUpRoute.REFERRAL, FollowUpRoute.NO_FURTHER_ACTION}
        and not message_to_reporter.strip()
    ):
        raise CaseError(_("Write the message that informs the reporter of this decision."))
    FollowUp.objects.filter(report=report).delete()
    follow_up = FollowUp.objects.create(
        report=report,
        route=route,
        referral_target=referral_target if route == FollowUpRoute.REFERRAL else "",
        sealed_reason=b"",
        decided_by=user,
    )
    seal_on(follow_up, "sealed_reason", reason)
    if route == FollowUpRoute.REFERRAL and referral_organisation:
        seal_on(follow_up, "sealed_referral_organisation", referral_organisation)
    _advance(user, report, workflow.ROUTE_TRANSITION[route])
    if message_to_reporter.strip():
        kind = MessageKind.REFERRAL if route == FollowUpRoute.REFERRAL else MessageKind.MESSAGE
        report_services.post_message(report, Sender.STAFF, kind, message_to_reporter, user)
        report_services.notify_reporter(report)  # queued in this transaction (ADR 0017)
    return follow_up


@transaction.atomic
def record_outcome(user: User, report: Report, outcome: str) -> FollowUp:
    _require(user, Action.RECORD_OUTCOME, report)
    _guard(CaseAction.RECORD_OUTCOME, report)
    follow_up = report.follow_up
    if not outcome.strip():
        raise CaseError(_("Describe the outcome."))
    follow_up.outcome_recorded_at = timezone.now()
    follow_up.save(update_fields=["outcome_recorded_at"])
    seal_on(follow_up, "sealed_outcome", outcome)
    record(Actor.of(user), "case.outcome_recorded", "report", report.pk)
    return follow_up


@transaction.atomic
def complete_investigation(user: User, report: Report) -> None:
    _require(user, Action.RECORD_OUTCOME, report)
    report = _locked(report)
    _guard(CaseAction.COMPLETE_INVESTIGATION, report)
    _advance(user, report, "complete_investigation")


@transaction.atomic
def complete_follow_up(user: User, report: Report) -> None:
    _require(user, Action.RECORD_OUTCOME, report)
    report = _locked(report)
    _guard(CaseAction.COMPLETE_FOLLOW_UP, report)
    _advance(user, report, "complete_follow_up")
