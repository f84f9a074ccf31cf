"""The gatekeeping of the protocol (seed 001 §3.5.2, ROSI at Finance; RULES R12): a step is
completed only when everything it requires is registered, in order and by its responsible role;
the next step then opens. A deviation needs the competent authority's prior approval."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.cases.services import seal_on
from integriteit.cases.signals import waiting_for
from integriteit.reports.models import Report

from ..constants import ReportVersionKind, StepRole, StepState
from ..models import Investigation, ProtocolStep, StepRecord
from ..selectors import current_record, latest_version, records, state_of, step_record, values_of
from .errors import InvestigationError, StepRefused
from .roles import SYSTEM_ACTOR, require_role


def record_of(investigation: Investigation, code: str) -> StepRecord:
    """The record of step `code`; a code the protocol does not have is refused."""
    rec = step_record(investigation, code)
    if rec is None:
        raise InvestigationError(_("This protocol has no step “%(code)s”.") % {"code": code})
    return rec


def open_step(investigation: Investigation, step: ProtocolStep) -> None:
    now = timezone.now()
    StepRecord.objects.filter(investigation=investigation, step=step).update(
        opened_at=now, due_on=timezone.localdate() + datetime.timedelta(days=step.time_limit_days)
    )


def _interview_gaps(investigation: Investigation) -> list[str]:
    interviews = list(investigation.interviews.all())
    if not interviews:
        return [_("Plan and hold at least one interview.")]
    gaps = []
    today = timezone.localdate()
    for interview in interviews:
        if interview.invited_at is None:
            gaps.append(
                _("Send every interviewee the invitation with the protocol and their rights.")
            )
        elif interview.record_offered_at is None:
            gaps.append(_("Record every interview and offer the record for approval."))
        elif (
            interview.approved_at is None
            and interview.commented_at is None
            and (interview.response_due is None or interview.response_due >= today)
        ):
            gaps.append(
                _("Wait for the interviewee's approval or comments, or for the term to pass.")
            )
    return sorted(set(gaps))


def _subject_response_gaps(investigation: Investigation) -> list[str]:
    draft = latest_version(investigation, ReportVersionKind.DRAFT)
    if draft is None or draft.offered_to_subject_at is None:
        return [_("Offer the draft report to the subject.")]
    due = draft.response_due or timezone.localdate()
    if draft.responded_at is None and due >= timezone.localdate():
        return [_("Wait for the subject's response or for the term to pass.")]
    return []


def _special_gaps(investigation: Investigation, code: str) -> list[str]:
    if code == "interviews":
        return _interview_gaps(investigation)
    if code == "draft_report" and latest_version(investigation, ReportVersionKind.DRAFT) is None:
        return [_("Generate the draft report.")]
    if code == "subject_response":
        return _subject_response_gaps(investigation)
    if code == "final_report":
        final = latest_version(investigation, ReportVersionKind.FINAL)
        draft = latest_version(investigation, ReportVersionKind.DRAFT)
        if final is None or (draft and final.generated_at < draft.generated_at):
            return [_("Generate the final report after the subject's response.")]
    if code == "closing":
        deferred = [
            _(r.step.name) for r in records(investigation) if state_of(r) == StepState.DEFERRED
        ]
        if deferred:
            return [
                _("Complete the deferred steps first: %(steps)s.") % {"steps": ", ".join(deferred)}
            ]
    return []


def step_gaps(investigation: Investigation, rec: StepRecord) -> list[str]:
    """What is still missing before `rec` can be completed."""
    values = values_of(rec)
    gaps = [
        _("Record: %(label)s.") % {"label": _(f["label"])}
        for f in rec.step.required_fields
        if not str(values.get(f["code"], "")).strip()
    ]
    kinds = set(investigation.documents.filter(step=rec.step).values_list("kind", flat=True))
    gaps += [
        _("Add the document: %(label)s.") % {"label": _(d["label"])}
        for d in rec.step.required_documents
        if d["code"] not in kinds
    ]
    return gaps + _special_gaps(investigation, rec.step.code)


@transaction.atomic
def complete_step(user: User, investigation: Investigation, code: str) -> StepRecord:
    """Complete the open step; the next one opens. A deferred step is completed the same way."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    rec = record_of(investigation, code)
    require_role(user, investigation, rec.step.responsible_role)
    state = state_of(rec)
    current = current_record(investigation)
    if state == StepState.COMPLETED:
        raise StepRefused([_("This step is already completed.")])
    if state == StepState.LOCKED or (state == StepState.OPEN and current and current.pk != rec.pk):
        raise StepRefused([_("Steps are completed in order; this step is not open yet.")])
    if gaps := step_gaps(investigation, rec):
        raise StepRefused(gaps)
    rec.completed_at, rec.completed_by = timezone.now(), user
    rec.save(update_fields=["completed_at", "completed_by"])
    record(
        Actor.of(user),
        "investigation.step_completed",
        "report",
        investigation.report_id,
        {"step": code},
    )
    if state == StepState.OPEN:
        _open_next(investigation, rec)
    return rec


def _open_next(investigation: Investigation, rec: StepRecord) -> None:
    following = (
        investigation.step_records.select_related("step")
        .filter(step__position__gt=rec.step.position, opened_at__isnull=True)
        .order_by("step__position")
        .first()
    )
    if following is not None:
        open_step(investigation, following.step)
        return
    investigation.completed_at = timezone.now()
    investigation.save(update_fields=["completed_at"])
    record(
        SYSTEM_ACTOR,
        "investigation.completed",
        "report",
        investigation.report_id,
        {"investigation": investigation.pk},
    )


@transaction.atomic
def request_deviation(
    user: User, investigation: Investigation, code: str, reason: str
) -> StepRecord:
    rec = record_of(investigation, code)
    require_role(user, investigation, rec.step.responsible_role)
    if not rec.step.deviation_allowed:
        raise StepRefused([_("The protocol allows no deviation in this step.")])
    if state_of(rec) != StepState.OPEN:
        raise StepRefused([_("Only the open step can be deferred.")])
    if not reason.strip():
        raise InvestigationError(_("Give the reason for the deviation."))
    rec.deviation_requested_by, rec.deviation_requested_at = user, timezone.now()
    rec.save(update_fields=["deviation_requested_by", "deviation_requested_at"])
    seal_on(rec, "sealed_deviation_reason", reason)
    record(
        Actor.of(user),
        "investigation.deviation_requested",
        "report",
        investigation.report_id,
        {"step": code},
    )
    # RULES R12: the deviation waits for the competent authority's approval.
    authorities = CaseAssignment.objects.filter(
        report_id=investigation.report_id,
        role=CaseRole.COMPETENT_AUTHORITY,
        ended_at__isnull=True,
    ).select_related("user")
    waiting_for.send(
        sender=Investigation,
        report=investigation.report,
        people=[assignment.user for assignment in authorities],
        what="deviation_approval",
    )
    return rec


@transaction.atomic
def approve_deviation(authority: User, investigation: Investigation, code: str) -> StepRecord:
    """RULES R12: a deviation needs prior approval by the competent authority; the step is
    deferred, the next opens, and the deferred step must be completed before closing."""
    require_role(authority, investigation, StepRole.COMPETENT_AUTHORITY)
    rec = record_of(investigation, code)
    if rec.deviation_requested_at is None or state_of(rec) != StepState.OPEN:
        raise StepRefused([_("There is no deviation request to approve.")])
    rec.deviation_approved_by, rec.deviation_approved_at = authority, timezone.now()
    rec.save(update_fields=["deviation_approved_by", "deviation_approved_at"])
    record(
        Actor.of(authority),
        "investigation.deviation_approved",
        "report",
        investigation.report_id,
        {"step": code},
    )
    _open_next(investigation, rec)
    return rec


def open_investigation_gaps(report: Report) -> list[str]:
    """The case's investigation phase ends only when every protocol step is completed."""
    if report.investigations.filter(completed_at__isnull=True).exists():
        return [_("Complete every step of the investigation protocol first.")]
    return []
