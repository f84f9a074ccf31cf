"""Investigations after the BIPO baseline: every step registered before the next opens (seed 001
§3.5.2, ROSI at Finance; seed 002; RULES R10–R12). All writes, one transaction each, audited."""

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, can, is_verified_staff
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.cases import people
from integriteit.cases import services as case_services
from integriteit.cases.constants import AssignmentRefusal, CaseRole
from integriteit.cases.models import Subject
from integriteit.organisations.models import Organisation
from integriteit.reports.attachments import CleanFile
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.reports.sealing import sealer_for

from .constants import IntervieweeRole, ReportVersionKind, StepRole, StepState
from .models import (
    Interview,
    Investigation,
    InvestigationDocument,
    InvestigationMember,
    Protocol,
    ProtocolStep,
    ReportVersion,
    StepRecord,
)
from .storage import write_sealed_file

seal_on = case_services.seal_on
open_on = case_services.open_on
shown_on = case_services.shown_on


class InvestigationError(Exception):
    """A request that cannot be carried out; the message says why in the user's language."""


class StepRefused(InvestigationError):
    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


# --- The protocol as data ------------------------------------------------------------------


def baseline() -> Protocol:
    """The BIPO baseline; migration 0002 creates it, so it always exists."""
    return Protocol.objects.filter(organisation=None).latest("version")


def current_protocol(organisation: Organisation) -> Protocol:
    own = Protocol.objects.filter(organisation=organisation).order_by("-version").first()
    return own or baseline()


def protocol_gaps(protocol: Protocol, base: Protocol) -> list[str]:
    """Why `protocol` goes below `base`: a missing step, a dropped requirement, an earlier
    position or a longer time limit are refused (seed 002: add to, never go below)."""
    steps = {s.code: s for s in protocol.steps.all()}
    gaps = []
    previous_position = -1
    for base_step in base.steps.all():
        step = steps.get(base_step.code)
        if step is None:
            gaps.append(
                _("The baseline step “%(name)s” cannot be removed.") % {"name": _(base_step.name)}
            )
            continue
        for kind in ("required_fields", "required_documents"):
            have = {item["code"] for item in getattr(step, kind)}
            for item in getattr(base_step, kind):
                if item["code"] not in have:
                    gaps.append(
                        _("The requirement “%(label)s” of “%(name)s” cannot be removed.")
                        % {"label": _(item["label"]), "name": _(base_step.name)}
                    )
        if step.position <= previous_position:
            gaps.append(_("Baseline steps keep their order."))
        previous_position = step.position
        if step.responsible_role != base_step.responsible_role:
            gaps.append(
                _("The responsible role of “%(name)s” cannot change.") % {"name": _(base_step.name)}
            )
    return gaps


@transaction.atomic
def derive_protocol(
    user: User,
    organisation: Organisation,
    *,
    extra_steps: Sequence[Mapping] = (),
    extra_requirements: Mapping[str, Sequence[Mapping]] = (),  # type: ignore[assignment]
    drop_steps: Iterable[str] = (),
    drop_requirements: Mapping[str, Iterable[str]] | None = None,
) -> Protocol:
    """A new organisation version of the protocol: the current one plus extra steps (each with a
    position between or after baseline steps) and extra required fields. Dropping a baseline step
    or requirement is refused; the version is not stored then."""
    if not (
        user.is_superuser
        or case_services.RoleAssignment.objects.filter(
            user=user, organisation=organisation, role="coordinator"
        ).exists()
    ):
        raise PermissionDenied
    source = current_protocol(organisation)
    version = (
        Protocol.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    protocol = Protocol.objects.create(
        organisation=organisation,
        version=version,
        based_on=baseline(),
        name=_("%(organisation)s protocol")
        % {"organisation": organisation.abbreviation or organisation.name},
    )
    extras = dict(extra_requirements or {})
    dropped = set(drop_steps)
    dropped_fields = {code: set(fields) for code, fields in (drop_requirements or {}).items()}
    taken_codes = {s.code for s in source.steps.all() if s.code not in dropped}
    taken_positions = {s.position for s in source.steps.all() if s.code not in dropped}
    refusals = []
    for extra in extra_steps:
        if extra["code"] in taken_codes:
            refusals.append(_("The code “%(code)s” is already in use.") % {"code": extra["code"]})
        if extra["position"] in taken_positions:
            refusals.append(_("Another step already has this position."))
        taken_codes.add(extra["code"])
        taken_positions.add(extra["position"])
    for code in extras:
        if code not in taken_codes:
            refusals.append(_("This protocol has no step “%(code)s”.") % {"code": code})
    if refusals:
        raise StepRefused(refusals)
    for step in source.steps.all():
        if step.code in dropped:
            continue
        fields = [
            f for f in step.required_fields if f["code"] not in dropped_fields.get(step.code, ())
        ]
        have = {f["code"] for f in fields}
        fields += [f for f in extras.get(step.code, []) if f["code"] not in have]
        ProtocolStep.objects.create(
            protocol=protocol,
            code=step.code,
            position=step.position,
            name=step.name,
            guidance=step.guidance,
            responsible_role=step.responsible_role,
            required_fields=fields,
            required_documents=step.required_documents,
            time_limit_days=step.time_limit_days,
            is_baseline=step.is_baseline,
            deviation_allowed=step.deviation_allowed,
        )
    for extra in extra_steps:
        ProtocolStep.objects.create(protocol=protocol, is_baseline=False, **extra)
    if gaps := protocol_gaps(protocol, baseline()):
        transaction.set_rollback(True)
        raise StepRefused(gaps)
    record(
        Actor.of(user),
        "protocol.derived",
        "organisation",
        organisation.pk,
        {"version": version, "extra_steps": [e["code"] for e in extra_steps]},
    )
    return protocol


# --- Who does what -------------------------------------------------------------------------


def _members(investigation: Investigation):
    return investigation.members.filter(ended_at__isnull=True)


def is_member(user: User, investigation: Investigation) -> bool:
    return _members(investigation).filter(user=user).exists()


def acts_as(user: User, investigation: Investigation, role: str) -> bool:
    report = investigation.report
    if role == StepRole.INVESTIGATOR:
        return is_member(user, investigation) and can(user, Action.VIEW, report)
    if role == StepRole.COMPETENT_AUTHORITY:
        return can(user, Action.DECIDE, report)
    return can(user, Action.ASSESS, report)


def _require_role(user: User, investigation: Investigation, role: str) -> None:
    if not acts_as(user, investigation, role):
        raise PermissionDenied


# --- Commissioning -------------------------------------------------------------------------


def investigator_refusals(report: Report, person: User) -> list[str]:
    """Why `person` cannot investigate this case (independence check); already being an
    investigator on the case is no reason, commissioning keeps that assignment."""
    codes = case_services.assignment_refusal_codes(report, person, CaseRole.INVESTIGATOR)
    return [str(code.label) for code in codes if code != AssignmentRefusal.ALREADY_ASSIGNED]


@transaction.atomic
def commission(
    authority: User,
    report: Report,
    *,
    investigators: Sequence[User],
    deadline: datetime.date,
    note: str,
) -> Investigation:
    """The competent authority commissions the investigation; the protocol version of the
    organisation at this moment is stored with it. The written assignment (scope, questions) is
    the protocol's own step."""
    if not can(authority, Action.DECIDE, report):
        raise PermissionDenied
    if report.phase != Phase.INVESTIGATION:
        raise InvestigationError(
            _("An investigation is commissioned in the phase “Investigation”.")
        )
    if not investigators:
        raise InvestigationError(_("Choose at least one investigator."))
    if deadline <= timezone.localdate():
        raise InvestigationError(_("The overall time limit must be in the future."))
    if report.investigations.filter(completed_at__isnull=True).exists():
        raise InvestigationError(_("This case already has an open investigation."))
    for person in investigators:
        if reasons := investigator_refusals(report, person):
            raise InvestigationError(f"{person}: " + " ".join(reasons))
    protocol = current_protocol(report.organisation)
    investigation = Investigation.objects.create(
        report=report,
        protocol=protocol,
        commissioned_by=authority,
        sealed_assignment=b"",
        deadline=deadline,
    )
    seal_on(investigation, "sealed_assignment", note)
    for index, person in enumerate(investigators):
        InvestigationMember.objects.create(
            investigation=investigation, user=person, is_lead=index == 0
        )
        if not report.assignments.filter(
            user=person, role=CaseRole.INVESTIGATOR, ended_at__isnull=True
        ).exists():
            # Through the case's own service, so the assignment is audited like any other.
            case_services.assign(authority, report, person, CaseRole.INVESTIGATOR)
    steps = list(protocol.steps.all())
    StepRecord.objects.bulk_create([StepRecord(investigation=investigation, step=s) for s in steps])
    _open(investigation, steps[0])
    record(
        Actor.of(authority),
        "investigation.commissioned",
        "report",
        report.pk,
        {"investigation": investigation.pk, "protocol": f"{protocol.pk}:v{protocol.version}"},
    )
    return investigation


def _open(investigation: Investigation, step: ProtocolStep) -> None:
    now = timezone.now()
    StepRecord.objects.filter(investigation=investigation, step=step).update(
        opened_at=now, due_on=timezone.localdate() + datetime.timedelta(days=step.time_limit_days)
    )


# --- Steps -----------------------------------------------------------------------------------


def state_of(rec: StepRecord) -> str:
    if rec.completed_at:
        return StepState.COMPLETED
    if rec.deviation_approved_at:
        return StepState.DEFERRED
    if rec.opened_at:
        return StepState.OPEN
    return StepState.LOCKED


def records(investigation: Investigation) -> list[StepRecord]:
    return list(investigation.step_records.select_related("step").order_by("step__position"))


def current_record(investigation: Investigation) -> StepRecord | None:
    """The one open step: every earlier step is completed or deferred with approval."""
    for rec in records(investigation):
        if state_of(rec) == StepState.OPEN:
            return rec
    return None


def _record(investigation: Investigation, code: str) -> StepRecord:
    rec = investigation.step_records.select_related("step").filter(step__code=code).first()
    if rec is None:
        raise InvestigationError(_("This protocol has no step “%(code)s”.") % {"code": code})
    return rec


def values_of(rec: StepRecord) -> dict[str, str]:
    if not rec.sealed_values:
        return {}
    sealer = sealer_for(rec.investigation.report)
    return json.loads(sealer.open_text(f"steprecord:{rec.pk}", "values", bytes(rec.sealed_values)))


@transaction.atomic
def save_values(
    user: User, investigation: Investigation, code: str, values: Mapping[str, str]
) -> StepRecord:
    rec = _record(investigation, code)
    _require_role(user, investigation, rec.step.responsible_role)
    if state_of(rec) not in {StepState.OPEN, StepState.DEFERRED}:
        raise InvestigationError(_("Only an open step can be recorded."))
    allowed = {f["code"] for f in rec.step.required_fields}
    merged = values_of(rec) | {k: v for k, v in values.items() if k in allowed}
    rec.sealed_values = sealer_for(investigation.report).seal_text(
        f"steprecord:{rec.pk}", "values", json.dumps(merged)
    )
    rec.save(update_fields=["sealed_values"])
    record(
        Actor.of(user),
        "investigation.step_recorded",
        "report",
        investigation.report_id,
        {"step": code},
    )
    return rec


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


def _latest(investigation: Investigation, kind: str) -> ReportVersion | None:
    return investigation.report_versions.filter(kind=kind).order_by("-generated_at").first()


def _subject_response_gaps(investigation: Investigation) -> list[str]:
    draft = _latest(investigation, ReportVersionKind.DRAFT)
    if draft is None or draft.offered_to_subject_at is None:
        return [_("Offer the draft report to the subject.")]
    due = draft.response_due or timezone.localdate()
    if draft.responded_at is None and due >= timezone.localdate():
        return [_("Wait for the subject's response or for the term to pass.")]
    return []


def _special_gaps(investigation: Investigation, code: str) -> list[str]:
    if code == "interviews":
        return _interview_gaps(investigation)
    if code == "draft_report" and _latest(investigation, ReportVersionKind.DRAFT) is None:
        return [_("Generate the draft report.")]
    if code == "subject_response":
        return _subject_response_gaps(investigation)
    if code == "final_report":
        final = _latest(investigation, ReportVersionKind.FINAL)
        draft = _latest(investigation, ReportVersionKind.DRAFT)
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
    rec = _record(investigation, code)
    _require_role(user, investigation, rec.step.responsible_role)
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
        _open(investigation, following.step)
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


SYSTEM_ACTOR = Actor(label="system")


@transaction.atomic
def request_deviation(
    user: User, investigation: Investigation, code: str, reason: str
) -> StepRecord:
    rec = _record(investigation, code)
    _require_role(user, investigation, rec.step.responsible_role)
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
    return rec


@transaction.atomic
def approve_deviation(authority: User, investigation: Investigation, code: str) -> StepRecord:
    """RULES R12: a deviation needs prior approval by the competent authority; the step is
    deferred, the next opens, and the deferred step must be completed before closing."""
    _require_role(authority, investigation, StepRole.COMPETENT_AUTHORITY)
    rec = _record(investigation, code)
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


@transaction.atomic
def upload_document(
    user: User, investigation: Investigation, code: str, kind: str, clean: CleanFile
) -> InvestigationDocument:
    rec = _record(investigation, code)
    _require_role(user, investigation, rec.step.responsible_role)
    if state_of(rec) not in {StepState.OPEN, StepState.DEFERRED}:
        raise InvestigationError(_("Documents are added to an open step."))
    document = InvestigationDocument.objects.create(
        investigation=investigation,
        step=rec.step,
        kind=kind,
        sealed_name=b"",
        content_type=clean.content_type,
        size=len(clean.content),
        uploaded_by=user,
    )
    write_sealed_file(document, clean.name, clean.content)
    record(
        Actor.of(user),
        "investigation.document_added",
        "report",
        investigation.report_id,
        {"step": code, "kind": kind},
    )
    return document


# --- Interviews --------------------------------------------------------------------------------


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
    rec = _record(investigation, "interviews")
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
    _require_role(user, investigation, StepRole.INVESTIGATOR)
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
        transaction.on_commit(lambda: _notify_interviewee(person))
    return interview


@transaction.atomic
def record_interview(user: User, interview: Interview, text: str, adviser: str = "") -> Interview:
    _require_role(user, interview.investigation, StepRole.INVESTIGATOR)
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
    return interview


def _within_term(due: datetime.date | None) -> None:
    if due is not None and due < timezone.localdate():
        raise InvestigationError(
            _("The term ended on %(date)s; the record or report now counts as accepted.")
            % {"date": due.strftime("%d-%m-%Y")}
        )


def _require_interviewee(user: User, interview: Interview) -> None:
    own_tag = people.tag_for(Interview, "interviewee", user)
    if not is_verified_staff(user) or interview.interviewee_tag != own_tag:
        raise PermissionDenied


def cooperating(user: User, as_role: str) -> tuple[Actor, dict[str, str]]:
    """How the audit names a subject or witness acting in the portal: by role and the tag of
    their reference (the interview's or the subject's), never by account, so the audit trail
    does not say who testified or who is accused (ADR 0013)."""
    model, name = (Subject, "person") if as_role == "subject" else (Interview, "interviewee")
    return Actor(label=as_role), {"by": people.tag_for(model, name, user)}


@transaction.atomic
def approve_record(user: User, interview: Interview) -> Interview:
    _require_interviewee(user, interview)
    if interview.record_offered_at is None:
        raise InvestigationError(_("There is no record to approve yet."))
    if interview.approved_at is not None:
        raise InvestigationError(_("You already approved this record."))
    _within_term(interview.response_due)
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
    _require_interviewee(user, interview)
    if interview.record_offered_at is None or interview.approved_at is not None:
        raise InvestigationError(_("This record is not open for comments."))
    _within_term(interview.response_due)
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


# --- Reports and the subject's response (hoor en wederhoor) --------------------------------


@transaction.atomic
def generate_report(user: User, investigation: Investigation, kind: str) -> ReportVersion:
    from .documents import render_report

    code = "draft_report" if kind == ReportVersionKind.DRAFT else "final_report"
    rec = _record(investigation, code)
    _require_role(user, investigation, StepRole.INVESTIGATOR)
    if state_of(rec) != StepState.OPEN:
        raise StepRefused([_("The report is generated in its own step.")])
    version = ReportVersion.objects.create(
        investigation=investigation, kind=kind, generated_by=user
    )
    render_report(version)
    record(
        Actor.of(user),
        f"investigation.{kind}_generated",
        "report",
        investigation.report_id,
        {"version": version.pk},
    )
    return version


@transaction.atomic
def offer_draft(user: User, investigation: Investigation) -> ReportVersion:
    _require_role(user, investigation, StepRole.INVESTIGATOR)
    rec = _record(investigation, "subject_response")
    if state_of(rec) != StepState.OPEN:
        raise StepRefused([_("The draft is offered in the step “Response of the subject”.")])
    draft = _latest(investigation, ReportVersionKind.DRAFT)
    if draft is None:
        raise InvestigationError(_("Generate the draft report first."))
    draft.offered_to_subject_at = timezone.now()
    draft.response_due = timezone.localdate() + datetime.timedelta(
        days=settings.DRAFT_RESPONSE_DAYS
    )
    draft.save(update_fields=["offered_to_subject_at", "response_due"])
    record(Actor.of(user), "investigation.draft_offered", "report", investigation.report_id)
    return draft


def is_subject(user: User, investigation: Investigation) -> bool:
    """Whether `user` is a subject of the investigation's case (found by tag, ADR 0013)."""
    own_tag = people.tag_for(Subject, "person", user)
    return investigation.report.subjects.filter(person_tag=own_tag).exists()


@transaction.atomic
def respond_to_draft(user: User, draft: ReportVersion, text: str) -> ReportVersion:
    if not is_verified_staff(user) or not is_subject(user, draft.investigation):
        raise PermissionDenied
    if draft.offered_to_subject_at is None or draft.kind != ReportVersionKind.DRAFT:
        raise InvestigationError(_("This draft is not offered to you."))
    if draft.responded_at is not None:
        raise InvestigationError(_("You already responded to this draft."))
    _within_term(draft.response_due)
    if not text.strip():
        raise InvestigationError(_("Write your response."))
    draft.responded_at = timezone.now()
    draft.save(update_fields=["responded_at"])
    seal_on(draft, "sealed_subject_response", text)
    actor, by = cooperating(user, "subject")
    record(
        actor,
        "investigation.subject_responded",
        "report",
        draft.investigation.report_id,
        {"version": draft.pk, **by},
    )
    return draft


def open_investigation_gaps(report: Report) -> list[str]:
    """The case's investigation phase ends only when every protocol step is completed."""
    if report.investigations.filter(completed_at__isnull=True).exists():
        return [_("Complete every step of the investigation protocol first.")]
    return []


def remove_personal_data(report: Report) -> dict[str, int]:
    """Retention (RULES R9): the investigation file of a case goes with its personal data; the
    fact that an investigation took place, its protocol version and dates stay (registry)."""
    from .storage import path_of

    investigations = list(report.investigations.all())
    documents = list(InvestigationDocument.objects.filter(investigation__in=investigations))
    versions = list(ReportVersion.objects.filter(investigation__in=investigations))
    paths = [path_of(d) for d in documents]
    paths += [path_of(v, name) for v in versions for name in ("pdf", "docx")]
    interviews = Interview.objects.filter(investigation__in=investigations)
    counts = {
        "investigation_documents": len(documents),
        "investigation_reports": len(versions),
        "interviews": interviews.count(),
    }
    InvestigationDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    ReportVersion.objects.filter(pk__in=[v.pk for v in versions]).delete()
    # The interviewee's lookup tag goes with the sealed id: left behind, it would still link
    # the person to this case for whoever holds the tag key (ADR 0013).
    interviews.update(
        interviewee_tag="",
        sealed_interviewee=None,
        subject=None,
        sealed_interviewee_description=None,
        sealed_invitation=b"",
        sealed_record=None,
        sealed_comment=None,
        sealed_adviser=None,
    )
    StepRecord.objects.filter(investigation__in=investigations).update(
        sealed_values=None, sealed_deviation_reason=None
    )
    Investigation.objects.filter(pk__in=[i.pk for i in investigations]).update(
        sealed_assignment=b""
    )
    transaction.on_commit(lambda: _unlink(paths))
    return counts


def _unlink(paths) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
