"""Closing, reopening, the reporter's evaluation and complaints about the handling."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import REPORTER, record
from integriteit.deadlines.services import add_months
from integriteit.reports import services as report_services
from integriteit.reports.constants import ExclusionReason, Kind, MessageKind, Sender
from integriteit.reports.models import Report

from .. import routing
from ..guards import CaseAction
from ..models import (
    Evaluation,
    FollowUp,
)
from .base import CaseError, _advance, _guard, _locked, _require, seal_on


@transaction.atomic
def close(user: User, report: Report) -> None:
    _require(user, Action.CLOSE, report)
    report = _locked(report)
    _guard(CaseAction.CLOSE, report)
    _advance(user, report, "close")
    report.closed_at = timezone.now()
    # RULES R9: personal data removed after the organisation's retention term.
    report.retention_until = add_months(report.closed_at, 12 * report.organisation.retention_years)
    report.save(update_fields=["closed_at", "retention_until"])


@transaction.atomic
def reopen(user: User, report: Report, reason: str) -> None:
    _require(user, Action.REOPEN, report)
    if not reason.strip():
        raise CaseError(_("Give the reason for reopening."))
    report = _locked(report)
    _guard(CaseAction.REOPEN, report)
    _advance(user, report, "reopen", reason)
    now = timezone.now()
    report.closed_at = report.retention_until = None
    report.feedback_given_at = None
    # The reopened case is assessed anew; the reporter hears about it within a new term (R4).
    report.last_feedback_at = now
    report.feedback_due = add_months(now, settings.FEEDBACK_MONTHS)
    report.save(
        update_fields=[
            "closed_at",
            "retention_until",
            "feedback_given_at",
            "last_feedback_at",
            "feedback_due",
        ]
    )
    FollowUp.objects.filter(report=report).update(outcome_recorded_at=None)
    report_services.post_message(
        report,
        Sender.STAFF,
        MessageKind.MESSAGE,
        _(
            "Your report %(reference)s has been reopened. We will assess it again and keep you informed."
        )
        % {"reference": report.reference},
        user,
    )
    report_services.notify_reporter(report)  # queued in this transaction (ADR 0017)


@transaction.atomic
def answer_evaluation(
    report: Report,
    *,
    felt_safe: int,
    kept_informed: int,
    taken_seriously: int,
    would_report_again: bool,
    comment: str = "",
) -> Evaluation:
    """The reporter's answers, also anonymously through the mailbox."""
    evaluation = getattr(report, "evaluation", None)
    if evaluation is None:
        raise CaseError(_("There is no evaluation to answer yet."))
    if evaluation.answered_at is not None:
        raise CaseError(_("You already answered the evaluation. Thank you."))
    for score in (felt_safe, kept_informed, taken_seriously):
        if not 1 <= score <= 5:
            raise CaseError(_("Answer with a score from 1 to 5."))
    evaluation.felt_safe, evaluation.kept_informed = felt_safe, kept_informed
    evaluation.taken_seriously, evaluation.would_report_again = taken_seriously, would_report_again
    evaluation.answered_at = timezone.now()
    evaluation.save()
    if comment:
        seal_on(evaluation, "sealed_comment", comment)
    record(REPORTER, "case.evaluation_answered", "report", report.pk)
    return evaluation


def _people_of(report: Report) -> list[User]:
    ids = set(report.assignments.values_list("user_id", flat=True))
    ids |= set(report.phase_changes.exclude(actor=None).values_list("actor_id", flat=True))
    ids |= set(report.messages.exclude(author=None).values_list("author_id", flat=True))
    return list(User.objects.filter(pk__in=ids))


@transaction.atomic
def file_complaint(report: Report, text: str, submission_token: str) -> tuple[Report, str]:
    """A complaint about the handling becomes its own case, kept from everyone who handled the
    original (seed 004 §6: after the internal route, the National Ombudsman), and routed to
    someone independent of it (`routing.route`). Idempotent on
    `submission_token` (the complaint form's token): sending the form again returns the
    complaint already filed and its code, and files nothing."""
    if not report.is_submitted:
        raise CaseError(_("This report has not been submitted."))
    if not text.strip():
        raise CaseError(_("Describe your complaint."))
    complaint, code, created = report_services.file_related_report(
        report, Kind.HANDLING_COMPLAINT, text, submission_token
    )
    if not created:
        return complaint, code
    report_services.exclude_people(complaint, _people_of(report), ExclusionReason.HANDLED_ORIGINAL)
    # Only now, with those exclusions in place, is it clear who is independent of the complaint:
    # the fall-back to the government-wide coordinator, or telling the administrators, comes
    # after them (issue 10 defect 3; seed 000 points 1–2).
    routing.route(complaint)
    record(
        REPORTER,
        "case.complaint_filed",
        "report",
        complaint.pk,
        {"about": report.reference},
    )
    return complaint, code
