"""Receipt and contact: the acknowledgement (RULES R3) and messages to the reporter."""

from collections.abc import Sequence

from django.utils import timezone

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.deadlines.services import feedback_due
from integriteit.reports import services as report_services
from integriteit.reports.attachments import CleanFile
from integriteit.reports.constants import MessageKind, Sender
from integriteit.reports.models import Message, Report
from integriteit.transactions import atomic_with_retry

from ..guards import CaseAction
from .assignments import _ensure_handler
from .base import _advance, _guard, _locked, _require


@atomic_with_retry
def acknowledge(user: User, report: Report, text: str) -> Message:
    """One action: record the acknowledgement, post it to the mailbox, mail a named reporter."""
    _require(user, Action.ACKNOWLEDGE, report)
    report = _locked(report)
    _guard(CaseAction.ACKNOWLEDGE, report)
    now = timezone.now()
    report.acknowledged_at = now
    report.last_feedback_at = now
    assert report.received_at is not None
    report.feedback_due = feedback_due(report.received_at, now)  # RULES R4
    report.save(update_fields=["acknowledged_at", "last_feedback_at", "feedback_due"])
    message = report_services.post_message(
        report, Sender.STAFF, MessageKind.ACKNOWLEDGEMENT, text, user
    )
    _ensure_handler(user, report)
    _advance(user, report, "acknowledge")
    report_services.notify_reporter(report)  # queued in this transaction (ADR 0017)
    return message


@atomic_with_retry
def send_message(
    user: User, report: Report, text: str, files: Sequence[CleanFile] = (), is_question=True
) -> Message:
    _require(user, Action.MESSAGE, report)
    _guard(CaseAction.SEND_MESSAGE, report)
    kind = MessageKind.QUESTION if is_question else MessageKind.MESSAGE
    message = report_services.post_message(report, Sender.STAFF, kind, text, user)
    report_services.add_files(report, files, Sender.STAFF, message)
    record(Actor.of(user), "message.sent", "report", report.pk, {"message": str(message.pk)})
    report_services.notify_reporter(report)  # queued in this transaction (ADR 0017)
    return message
