"""Aftercare and signals of disadvantage (RULES R8)."""

import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, is_excluded
from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.reports import services as report_services
from integriteit.reports.constants import MessageKind, Sender
from integriteit.reports.models import Report

from ..constants import (
    CaseRole,
)
from ..guards import CaseAction
from ..models import (
    AftercareAction,
    DisadvantageSignal,
    Evaluation,
)
from .base import CaseError, _advance, _guard, _locked, _require, seal_on


@transaction.atomic
def plan_aftercare(
    user: User, report: Report, *, audience: str, description: str, due_on: datetime.date
) -> AftercareAction:
    _require(user, Action.AFTERCARE, report)
    _guard(CaseAction.PLAN_AFTERCARE, report)
    if not description.strip():
        raise CaseError(_("Describe the aftercare action."))
    action = AftercareAction.objects.create(
        report=report, audience=audience, due_on=due_on, sealed_description=b"", planned_by=user
    )
    seal_on(action, "sealed_description", description)
    record(Actor.of(user), "case.aftercare_planned", "report", report.pk, {"action": action.pk})
    return action


@transaction.atomic
def finish_aftercare(user: User, action: AftercareAction, *, cancel_reason: str = "") -> None:
    _require(user, Action.AFTERCARE, action.report)
    _guard(CaseAction.FINISH_AFTERCARE, action.report)
    if not action.is_open:
        raise CaseError(_("This aftercare action is already finished."))
    now = timezone.now()
    if cancel_reason:
        action.cancelled_at = now
        seal_on(action, "sealed_cancel_reason", cancel_reason)
    else:
        action.done_at = now
    action.finished_by = user
    action.save(update_fields=["cancelled_at", "done_at", "finished_by"])
    record(
        Actor.of(user),
        "case.aftercare_cancelled" if cancel_reason else "case.aftercare_done",
        "report",
        action.report_id,
        {"action": action.pk},
    )


@transaction.atomic
def record_disadvantage(user: User, report: Report, description: str) -> DisadvantageSignal:
    """RULES R8: a signal of disadvantage is recorded and raised to the coordinators at once."""
    _require(user, Action.SIGNAL, report)
    _guard(CaseAction.RECORD_DISADVANTAGE, report)
    if not description.strip():
        raise CaseError(_("Describe the signal."))
    signal = DisadvantageSignal.objects.create(
        report=report, sealed_description=b"", recorded_by=user
    )
    seal_on(signal, "sealed_description", description)
    record(Actor.of(user), "case.disadvantage_signal", "report", report.pk, {"signal": signal.pk})
    _alert_coordinators(report)  # queued in this transaction (ADR 0017)
    return signal


def _alert_coordinators(report: Report) -> None:
    recipients = [u.email for u in case_coordinators(report) if u.email]
    if recipients:
        send_mail(
            subject=_("Signal of disadvantage on case %(reference)s")
            % {"reference": report.reference},
            message=_(
                "A signal that the reporter may be disadvantaged was recorded on case "
                "%(reference)s. Open the case in the workspace to act on it."
            )
            % {"reference": report.reference},
            from_email=None,
            recipient_list=recipients,
        )


def case_coordinators(report: Report) -> list[User]:
    """Coordinators and handlers who may see the case (for alerts and reminders)."""
    org_coordinators = User.objects.filter(
        roles__organisation=report.organisation, roles__role=Role.COORDINATOR, is_active=True
    )
    handlers = User.objects.filter(
        case_assignments__report=report,
        case_assignments__role=CaseRole.HANDLER,
        case_assignments__ended_at__isnull=True,
    )
    people = {u.pk: u for u in list(org_coordinators) + list(handlers)}
    return [u for u in people.values() if not is_excluded(u, report)]


@transaction.atomic
def handle_disadvantage(user: User, signal: DisadvantageSignal) -> None:
    _require(user, Action.SIGNAL, signal.report)
    _guard(CaseAction.HANDLE_DISADVANTAGE, signal.report)
    if signal.handled_at is not None:
        raise CaseError(_("This signal has already been handled."))
    signal.handled_at = timezone.now()
    signal.save(update_fields=["handled_at"])
    record(
        Actor.of(user),
        "case.disadvantage_handled",
        "report",
        signal.report_id,
        {"signal": signal.pk},
    )


@transaction.atomic
def complete_aftercare(user: User, report: Report, invitation: str) -> Evaluation:
    """Aftercare done: the reporter is invited to evaluate the process (seed 002)."""
    _require(user, Action.AFTERCARE, report)
    report = _locked(report)
    _guard(CaseAction.COMPLETE_AFTERCARE, report)
    _advance(user, report, "complete_aftercare")
    report_services.post_message(
        report, Sender.STAFF, MessageKind.EVALUATION_INVITATION, invitation, user
    )
    evaluation, _created = Evaluation.objects.update_or_create(
        report=report, defaults={"invited_at": timezone.now()}
    )
    report_services.notify_reporter(report)  # queued in this transaction (ADR 0017)
    return evaluation
