"""Interviews: the invitation with the protocol and the interviewee's rights, the record, and the
interviewee's approval or comments within the term (RULES R10, R12)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.cases import people
from integriteit.cases.models import Subject
from integriteit.cases.services import seal_on
from integriteit.cases.signals import waiting_for
from integriteit.ui import dates

from ..constants import IntervieweeRole, StepRole, StepState
from ..models import Interview, Investigation
from ..selectors import state_of
from .errors import InvestigationError, StepRefused
from .gatekeeping import record_of
from .roles import cooperating, require_interviewee, require_role


def default_invitation(role: str) -> str:
    return _(
        "You are invited to an interview in a person-directed investigation. The investigation "
        "follows the protocol (BIPO baseline), which you receive with this invitation. You may "
        "bring an adviser or counsel of your choice. You will receive the record of the interview "
        "and may approve it or comment on it within %(days)d days."
    ) % {"days": settings.INTERVIEW_RESPONSE_DAYS} + (
        " "
        + _(
            "As the person the investigation is about, you will also be heard on the draft report "
            "before it is final."
        )
        if role == IntervieweeRole.SUBJECT
        else ""
    )


def _notify_interviewee(person: User) -> None:
    """Everyone asked to cooperate hears of it (RULES R12); the e-mail holds no case details."""
    send_mail(
        subject=_("An invitation in Integriteit"),
        message=_(
            "You are invited to cooperate in an investigation. Read the invitation, the protocol "
            "and your rights under “My investigations” at %(url)s after logging in. This e-mail "
            "contains no details, for everyone's privacy."
        )
        % {"url": f"{settings.SITE_URL}/mijn-onderzoek/"},
        from_email=None,
        recipient_list=[person.email],
    )


def _interview_step_open(investigation: Investigation) -> None:
    rec = record_of(investigation, "interviews")
    if state_of(rec) not in {StepState.OPEN, StepState.DEFERRED}:
        raise StepRefused([_("Interviews are held in the step “Interviews”.")])


@transaction.atomic
def plan_interview(
    user: User,
    investigation: Investigation,
    *,
    role: str,
    planned_at: datetime.datetime,
    invitation: str,
    interviewee: User | None = None,
    subject: Subject | None = None,
    description: str = "",
) -> Interview:
    require_role(user, investigation, StepRole.INVESTIGATOR)
    _interview_step_open(investigation)
    if role == IntervieweeRole.SUBJECT and subject is None:
        raise InvestigationError(_("Choose the subject who is interviewed."))
    if subject is not None and subject.report_id != investigation.report_id:
        raise PermissionDenied
    person = interviewee or (people.person_of(subject, "person") if subject else None)
    if person is None and not description.strip():
        raise InvestigationError(_("Choose the interviewee or describe them."))
    if not invitation.strip():
        raise InvestigationError(_("Write the invitation."))
    interview = Interview.objects.create(
        investigation=investigation,
        role=role,
        subject=subject,
        planned_at=planned_at,
        sealed_invitation=b"",
        invited_at=timezone.now(),
    )
    if person is not None:  # a tag and a sealed id, never the id (ADR 0013)
        people.refer(interview, "interviewee", person)
    seal_on(interview, "sealed_invitation", invitation)
    if description:
        seal_on(interview, "sealed_interviewee_description", description)
    record(
        Actor.of(user),
        "investigation.interview_planned",
        "report",
        investigation.report_id,
        {"interview": interview.pk, "role": role},
    )
    if person is not None and person.email:
        _notify_interviewee(person)  # queued in this transaction (ADR 0017)
    return interview


@transaction.atomic
def record_interview(user: User, interview: Interview, text: str, adviser: str = "") -> Interview:
    require_role(user, interview.investigation, StepRole.INVESTIGATOR)
    _interview_step_open(interview.investigation)
    if not text.strip():
        raise InvestigationError(_("Write the record of the interview."))
    if interview.approved_at is not None:
        raise InvestigationError(_("An approved record cannot be changed."))
    interview.record_offered_at = timezone.now()
    interview.response_due = timezone.localdate() + datetime.timedelta(
        days=settings.INTERVIEW_RESPONSE_DAYS
    )
    interview.commented_at = None
    interview.save(update_fields=["record_offered_at", "response_due", "commented_at"])
    seal_on(interview, "sealed_record", text)
    if adviser.strip():
        seal_on(interview, "sealed_adviser", adviser)
    elif interview.sealed_adviser:
        interview.sealed_adviser = None
        interview.save(update_fields=["sealed_adviser"])
    record(
        Actor.of(user),
        "investigation.interview_recorded",
        "report",
        interview.investigation.report_id,
        {"interview": interview.pk},
    )
    # The record waits for the interviewee's approval or comments (RULES R12).
    interviewee = people.person_of(interview, "interviewee")
    waiting_for.send(
        sender=Interview,
        report=interview.investigation.report,
        people=[interviewee] if interviewee else [],
        what="record_approval",
    )
    return interview


def within_term(due: datetime.date | None) -> None:
    if due is not None and due < timezone.localdate():
        raise InvestigationError(
            _("The term ended on %(date)s; the record or report now counts as accepted.")
            % {"date": dates.day(due)}
        )


@transaction.atomic
def approve_record(user: User, interview: Interview) -> Interview:
    require_interviewee(user, interview)
    if interview.record_offered_at is None:
        raise InvestigationError(_("There is no record to approve yet."))
    if interview.approved_at is not None:
        raise InvestigationError(_("You already approved this record."))
    within_term(interview.response_due)
    interview.approved_at = timezone.now()
    interview.save(update_fields=["approved_at"])
    actor, by = cooperating(user, "interviewee")
    record(
        actor,
        "investigation.record_approved",
        "report",
        interview.investigation.report_id,
        {"interview": interview.pk, **by},
    )
    return interview


@transaction.atomic
def comment_record(user: User, interview: Interview, comment: str) -> Interview:
    require_interviewee(user, interview)
    if interview.record_offered_at is None or interview.approved_at is not None:
        raise InvestigationError(_("This record is not open for comments."))
    within_term(interview.response_due)
    if not comment.strip():
        raise InvestigationError(_("Write your comments."))
    interview.commented_at = timezone.now()
    interview.save(update_fields=["commented_at"])
    seal_on(interview, "sealed_comment", comment)
    actor, by = cooperating(user, "interviewee")
    record(
        actor,
        "investigation.record_commented",
        "report",
        interview.investigation.report_id,
        {"interview": interview.pk, **by},
    )
    return interview
