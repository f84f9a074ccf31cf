"""Feedback to the reporter: interim and final (RULES R4)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.deadlines import services as deadlines
from integriteit.reports import services as report_services
from integriteit.reports.constants import MessageKind, Phase, Sender
from integriteit.reports.models import Report
from integriteit.transactions import atomic_with_retry

from ..constants import (
    FeedbackKind,
)
from ..guards import CaseAction
from ..models import (
    Feedback,
)
from .base import CaseError, _advance, _guard, _locked, _require


def interim_feedback_due(report: Report) -> datetime.datetime | None:
    """The next interim feedback of this case (the term: deadlines.interim_feedback_due)."""
    return deadlines.interim_feedback_due(
        acknowledged_at=report.acknowledged_at,
        last_feedback_at=report.last_feedback_at,
        final_feedback_at=report.feedback_given_at,
        is_closed=report.phase == Phase.CLOSED,
        every_weeks=report.organisation.interim_feedback_weeks,
    )


@atomic_with_retry
def give_interim_feedback(user: User, report: Report, text: str) -> Feedback:
    _require(user, Action.FEEDBACK, report)
    report = _locked(report)
    _guard(CaseAction.GIVE_INTERIM_FEEDBACK, report)
    if not text.strip():
        raise CaseError(_("Write the feedback for the reporter."))
    return _feedback(user, report, FeedbackKind.INTERIM, MessageKind.INTERIM_FEEDBACK, text)


def _feedback(user: User, report: Report, kind: str, message_kind: str, text: str) -> Feedback:
    message = report_services.post_message(report, Sender.STAFF, message_kind, text, user)
    now = timezone.now()
    report.last_feedback_at = now
    fields = ["last_feedback_at"]
    if kind == FeedbackKind.FINAL:
        report.feedback_given_at = now
        fields.append("feedback_given_at")
    report.save(update_fields=fields)
    feedback = Feedback.objects.create(report=report, kind=kind, message=message, given_by=user)
    record(Actor.of(user), f"case.feedback_{kind}", "report", report.pk)
    report_services.notify_reporter(report)  # queued in this transaction (ADR 0017)
    return feedback


@transaction.atomic
def give_final_feedback(user: User, report: Report, text: str) -> Feedback:
    _require(user, Action.FEEDBACK, report)
    report = _locked(report)
    if not text.strip():
        raise CaseError(_("Write the feedback for the reporter."))
    _guard(CaseAction.GIVE_FINAL_FEEDBACK, report)
    feedback = _feedback(user, report, FeedbackKind.FINAL, MessageKind.FINAL_FEEDBACK, text)
    _advance(user, report, "give_final_feedback")
    return feedback
