"""All writes of case handling, one transaction each, with preconditions, audit and messages.

Phase changes go through integriteit.cases.workflow.advance; access through integriteit.access.
"""

import datetime
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, can, is_excluded
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.audit.services import REPORTER, Actor, record
from integriteit.crypto import references
from integriteit.crypto.holders import new_row_sealer
from integriteit.deadlines.services import add_months, feedback_due
from integriteit.reports import services as report_services
from integriteit.reports.attachments import CleanFile
from integriteit.reports.constants import ExclusionReason, Kind, MessageKind, Phase, Sender
from integriteit.reports.models import Message, Report, ViolationType
from integriteit.reports.sealing import open_content, sealer_for
from integriteit.transactions import atomic_with_retry
from integriteit.ui.integrity import for_display, unreadable_note

from . import guards, people, workflow
from .constants import (
    CaseRole,
    ConflictCheckItem,
    FeedbackKind,
    FollowUpRoute,
    ReferralTarget,
    SubjectInformedHow,
)
from .guards import CaseAction
from .models import (
    AftercareAction,
    Assessment,
    CaseAssignment,
    ConflictCheck,
    Decision,
    DeclaredConflict,
    DisadvantageSignal,
    Evaluation,
    Feedback,
    Finding,
    FollowUp,
    Hearing,
    Measure,
    MeasureType,
    OrderMeasure,
    Subject,
)

TransitionRefused = workflow.TransitionRefused


class CaseError(Exception):
    """A request that cannot be carried out; the message says why in the user's language."""


def _require(user: User, action: Action, report: Report) -> None:
    if not can(user, action, report):
        raise PermissionDenied


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _seal(report: Report, record_name: str, field: str, text: str) -> bytes:
    return sealer_for(report).seal_text(record_name, field, text)


def seal_on(obj, field: str, text: str) -> None:
    """Seal free text on a saved case record, bound to that record and field."""
    setattr(
        obj,
        field,
        _seal(obj.report, f"{obj._meta.model_name}:{obj.pk}", field, text),
    )
    obj.save(update_fields=[field])


def open_on(obj, field: str) -> str:
    blob = getattr(obj, field)
    if not blob:
        return ""
    return sealer_for(obj.report).open_text(f"{obj._meta.model_name}:{obj.pk}", field, bytes(blob))


# For pages: a record that fails its integrity check shows a note and is flagged (ui.integrity).
shown_on = for_display(open_on, unreadable_note)


def _guard(action: CaseAction, report: Report) -> None:
    guards.refuse_unless_allowed(action, report)


def _advance(user: User, report: Report, name: str, reason: str = "") -> None:
    workflow.advance(user, report, name, reason)


# --- Receipt and contact -------------------------------------------------------------------


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
    transaction.on_commit(lambda: report_services.notify_reporter(report))
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
    transaction.on_commit(lambda: report_services.notify_reporter(report))
    return message


# --- People on the case --------------------------------------------------------------------


def subject_people(report: Report) -> list[User]:
    """The staff members who are subjects of the case (their ids are sealed under its key)."""
    return list(people.people_of(report.subjects.exclude(person_tag=""), "person").values())


def _named_ids(report: Report) -> set[int]:
    """The staff named in the report and the subjects: ids opened from the sealed content and
    the sealed subject references (ADR 0013)."""
    named = {person["id"] for person in open_content(report).involved_staff}
    return named | {person.pk for person in subject_people(report)}


def assignment_refusals(report: Report, assignee: User, role: str) -> list[str]:
    """Why `assignee` cannot take `role` on this case: exclusions and declared conflicts."""
    reasons = []
    if is_excluded(assignee, report):
        reasons.append(_("This person is excluded from the case."))
    named = _named_ids(report)
    if assignee.pk in named:
        reasons.append(_("This person is named in the report."))
    conflict_tags = {references.tag_for(DeclaredConflict, "person", pk) for pk in named}
    if DeclaredConflict.objects.filter(user=assignee, person_tag__in=conflict_tags).exists():
        reasons.append(_("This person declared a conflict of interest with someone named."))
    if (
        role == CaseRole.INVESTIGATOR
        and assignee.unit_id is not None
        and assignee.unit_id in {person.unit_id for person in subject_people(report)}
    ):
        reasons.append(_("An investigator may not work in the subject's unit."))
    if report.assignments.filter(user=assignee, role=role, ended_at__isnull=True).exists():
        reasons.append(_("This person already has this role on the case."))
    # Handlers may come from elsewhere (e.g. another organisation's integrity bureau for a
    # complaint); the other roles must hold the matching role in the organisation.
    if role != CaseRole.HANDLER and not candidates(report, role).filter(pk=assignee.pk).exists():
        reasons.append(_("This person does not hold this role in the organisation."))
    return reasons


@transaction.atomic
def assign(user: User, report: Report, assignee: User, role: str) -> CaseAssignment:
    # The competent authority commissions the investigation, so it may assign the investigator.
    commissions = role == CaseRole.INVESTIGATOR and can(user, Action.DECIDE_FOLLOW_UP, report)
    if not (commissions or can(user, Action.ASSIGN, report)):
        raise PermissionDenied
    _guard(CaseAction.ASSIGN, report)
    if reasons := assignment_refusals(report, assignee, role):
        raise CaseError(" ".join(reasons))
    assignment = CaseAssignment.objects.create(
        report=report, user=assignee, role=role, assigned_by=user
    )
    if role == CaseRole.HANDLER and report.concerns_report is not None:
        # A complaint's handlers do not see the case complained about unless granted.
        report_services.exclude_people(
            report.concerns_report, [assignee], ExclusionReason.HANDLES_COMPLAINT
        )
    record(
        Actor.of(user),
        "case.assigned",
        "report",
        report.pk,
        {"user": assignee.pk, "role": role},
    )
    return assignment


def _ensure_handler(user: User, report: Report) -> None:
    if not report.assignments.filter(role=CaseRole.HANDLER, ended_at__isnull=True).exists():
        CaseAssignment.objects.create(
            report=report, user=user, role=CaseRole.HANDLER, assigned_by=user
        )
        if report.concerns_report is not None:
            # As in `assign`: a complaint's handler does not see the case complained about.
            report_services.exclude_people(
                report.concerns_report, [user], ExclusionReason.HANDLES_COMPLAINT
            )


@transaction.atomic
def end_assignment(user: User, assignment: CaseAssignment) -> None:
    _require(user, Action.ASSIGN, assignment.report)
    _guard(CaseAction.END_ASSIGNMENT, assignment.report)
    if assignment.ended_at is not None:
        raise CaseError(_("This assignment has already ended."))
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    record(
        Actor.of(user),
        "case.unassigned",
        "report",
        assignment.report_id,
        {"user": assignment.user_id, "role": assignment.role},
    )


def declared_conflicts_of(user: User):
    """The declarant's own declarations."""
    return DeclaredConflict.objects.filter(user=user)


@transaction.atomic
def declare_conflict(user: User, person: User) -> DeclaredConflict:
    """The colleague is kept as a tag plus their id under the declaration's own data key; the
    audit entry names the declaration, not the colleague (ADR 0013)."""
    if person.pk == user.pk:
        raise CaseError(_("You cannot declare a conflict of interest with yourself."))
    conflict, created = DeclaredConflict.objects.get_or_create(
        user=user, person_tag=people.tag_for(DeclaredConflict, "person", person)
    )
    if created:
        sealer = new_row_sealer(conflict)
        conflict.save(update_fields=["wrapped_key", "kek_version"])
        people.refer(conflict, "person", person, sealer)
    record(Actor.of(user), "conflict.declared", "user", user.pk, {"conflict": conflict.pk})
    return conflict


@transaction.atomic
def withdraw_conflict(user: User, conflict: DeclaredConflict) -> None:
    """Only the person who declared a conflict withdraws it; the audit entry keeps the history."""
    if conflict.user_id != user.pk:
        raise PermissionDenied
    record(Actor.of(user), "conflict.withdrawn", "user", user.pk, {"conflict": conflict.pk})
    conflict.delete()


def candidates(report: Report, role: str):
    """Staff of the organisation who may take `role`: holders of the matching organisation role."""
    org_role = {
        CaseRole.HANDLER: Role.COORDINATOR,
        CaseRole.PROCESS_GUIDE: Role.PROCESS_GUIDE,
        CaseRole.INVESTIGATOR: Role.INVESTIGATOR,
        CaseRole.COMPETENT_AUTHORITY: Role.COMPETENT_AUTHORITY,
    }[CaseRole(role)]
    holders = RoleAssignment.objects.filter(organisation=report.organisation, role=org_role)
    return User.objects.filter(pk__in=holders.values("user"), is_active=True).order_by(
        "last_name", "first_name"
    )


# --- Intake and assessment -----------------------------------------------------------------


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


# --- Decision on follow-up and its outcome -------------------------------------------------

REFERRAL_MESSAGE = {
    ReferralTarget.RABA: "the labour-law helpdesk (RABA)",
    ReferralTarget.POLICE: "the police",
    ReferralTarget.WHISTLEBLOWERS_AUTHORITY: "the Whistleblowers Authority (Huis voor Klokkenluiders)",
}


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
        transaction.on_commit(lambda: report_services.notify_reporter(report))
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


# --- The subject -----------------------------------------------------------------------------


@transaction.atomic
def record_subject(
    user: User, report: Report, *, person: User | None = None, description: str = ""
) -> Subject:
    _require(user, Action.RECORD_SUBJECT, report)
    _guard(CaseAction.RECORD_SUBJECT, report)
    if person is None and not description.strip():
        raise CaseError(_("Choose the person or describe them."))
    subject = Subject.objects.create(report=report)
    if description:
        seal_on(subject, "sealed_description", description)
    if person is not None:
        people.refer(subject, "person", person)  # a tag and a sealed id, never the id (ADR 0013)
        # The subject never sees the case (SYSTEM.md "Need to know").
        report_services.exclude_people(report, [person], ExclusionReason.NAMED)
    record(Actor.of(user), "case.subject_recorded", "report", report.pk, {"subject": subject.pk})
    return subject


@transaction.atomic
def record_subject_informed(
    user: User, subject: Subject, *, informed_at: datetime.datetime, how: str, note: str = ""
) -> Subject:
    _require(user, Action.RECORD_SUBJECT, subject.report)
    _guard(CaseAction.RECORD_SUBJECT_INFORMED, subject.report)
    if informed_at > timezone.now():
        raise CaseError(_("The moment of informing cannot be in the future."))
    if how == SubjectInformedHow.NOT_YET:
        # A postponement (e.g. to protect evidence) is recorded with its reason, but the subject
        # is not informed yet, so the investigation cannot be completed on it.
        if not note.strip():
            raise CaseError(_("Give the reason why the subject is not informed yet."))
        subject.informed_how = how
        subject.save(update_fields=["informed_how"])
        seal_on(subject, "sealed_informed_note", note)
        record(Actor.of(user), "case.subject_not_yet_informed", "report", subject.report_id)
        return subject
    subject.informed_at, subject.informed_how = informed_at, how
    subject.save(update_fields=["informed_at", "informed_how"])
    if note:
        seal_on(subject, "sealed_informed_note", note)
    record(
        Actor.of(user),
        "case.subject_informed",
        "report",
        subject.report_id,
        {"subject": subject.pk, "how": how},
    )
    return subject


# --- Feedback --------------------------------------------------------------------------------


def interim_feedback_due(report: Report) -> datetime.datetime | None:
    """Interim feedback every N weeks (per organisation) until the final feedback (seed 004 §6)."""
    if report.acknowledged_at is None or report.feedback_given_at is not None:
        return None
    if report.phase == Phase.CLOSED:
        return None
    last = report.last_feedback_at or report.acknowledged_at
    return last + datetime.timedelta(weeks=report.organisation.interim_feedback_weeks)


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
    transaction.on_commit(lambda: report_services.notify_reporter(report))
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


# --- Aftercare and signals of disadvantage ---------------------------------------------------


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
    transaction.on_commit(lambda: _alert_coordinators(report))
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
    transaction.on_commit(lambda: report_services.notify_reporter(report))
    return evaluation


# --- Decision and measures by the competent authority --------------------------------------


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


# --- Closing, reopening, evaluation and complaints -----------------------------------------


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
    transaction.on_commit(lambda: report_services.notify_reporter(report))


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
    original (seed 004 §6: after the internal route, the National Ombudsman). Idempotent on
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
    record(
        REPORTER,
        "case.complaint_filed",
        "report",
        complaint.pk,
        {"about": report.reference},
    )
    return complaint, code
