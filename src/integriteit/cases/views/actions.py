"""The forms of the case page: one table of case actions (`CASE_ACTIONS`: form, service call,
success message, access right, anchor) and one view that runs any of them. Thin: `report_for`
checks the access right (404 for anyone without it), the form checks the input, the service
checks the rules of the process (cases.guards).

After a post the browser never stays on the POST address, where a reload would post again
(issue 10, docs/workspace.md "After a post"): success redirects back to the case page at the
section concerned, and so does a refusal by the rules of the process (cases.guards: the step is
not open in this phase, the case is closed), with the reasons in a message there, unless the
user typed text into the form: a redirect would lose it, and the text cannot wait in the
session, which is stored unencrypted. Bad input (the form, or a service's ValidationError about
what was typed), and a refusal of a form with typed text, show the case page again with the form
as typed and the reasons beside it (SYSTEM.md "Bad input": lose nothing typed)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from integriteit.access.rules import Action, can
from integriteit.accounts.decorators import staff_required
from integriteit.accounts.models import User
from integriteit.accounts.selectors import staff_of
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report
from integriteit.reports.selectors import report_for
from integriteit.ui.submission import (
    handle_form,
    reasons_of,
    refuse_with_redirect,
    show_refusal,
    typed_text,
)

from .. import forms, guards, people, services
from ..constants import CaseRole
from ..models import (
    AftercareAction,
    CaseAssignment,
    DisadvantageSignal,
    OrderMeasure,
    Subject,
)
from .panels import section_url
from .workspace import case_context, confirmed, not_confirmed_message

A = guards.CaseAction

REFUSALS = (services.CaseError, services.TransitionRefused, ValidationError)


def _case_url(report: Report, anchor: str) -> str:
    return section_url(report, anchor, reverse("cases:detail", kwargs={"report_id": report.pk}))


def _to_case(report: Report, anchor: str):
    """Back to the case page, at `anchor` in the section that holds it."""
    return redirect(_case_url(report, anchor))


def _refused(request, report: Report, name: str, form, error: Exception | None = None):
    """Show the case page again with the form as the user filled it in, and why it failed.
    (Also used by integriteit.investigations for the commission form on the case page.)"""
    show_refusal(request, form, error)
    return _case_page(request, report, name, form)


def _case_page(request, report: Report, name: str, form):
    return render(request, "cases/case.html", case_context(request, report, {name: form}))


# --- The table of case actions -----------------------------------------------------------------


@dataclass
class Submission:
    """One posted case action: who, on which case, on which record of it (`target`, from the
    URL), with which form once it is valid."""

    user: User
    report: Report
    target: Any = None
    form: Any = None

    @property
    def data(self) -> dict:
        return self.form.cleaned_data


@dataclass(frozen=True)
class CaseFormAction:
    """A case action as the page posts it. `form(submission, data)` builds the form (None: a
    button without one); `call(submission)` is the service; `name(target)` is the form's name
    on the case page (for a refusal); `anchor(target)` the section to return to. `access` is
    the right `report_for` checks; `permitted` replaces it where the rule needs the URL. An
    action in guards.IRREVERSIBLE is carried out only with the confirmation ticked."""

    case_action: guards.CaseAction  # the action of cases.guards it carries out
    call: Callable[[Submission], object]
    success: Callable[[Any], str]
    anchor: Callable[[Any], str]
    access: Action = Action.VIEW
    form: Callable[[Submission, Any], Any] | None = None
    name: Callable[[Any], str] = lambda target: ""
    target: Callable[..., Any] | None = None
    permitted: Callable[..., bool] | None = None


def _fixed(text) -> Callable[[Any], str]:
    return lambda target: str(text)


def _subjects(report: Report):
    return report.subjects.order_by("recorded_at", "pk")


def _role(report: Report, role: str) -> str:
    if role not in CaseRole.values:
        raise Http404
    return role


def _may_assign(user, report: Report, role: str) -> bool:
    # The competent authority commissions the investigation, so it may assign the investigator.
    commissions = role == CaseRole.INVESTIGATOR and can(user, Action.DECIDE_FOLLOW_UP, report)
    return commissions or can(user, Action.ASSIGN, report)


def _ended(assignment: CaseAssignment) -> str:
    return _("%(person)s no longer has the role “%(role)s” on this case.") % {
        "person": assignment.user,
        "role": assignment.get_role_display(),
    }


CASE_ACTIONS: dict[str, CaseFormAction] = {
    # People on the case.
    "assign": CaseFormAction(
        case_action=A.ASSIGN,
        target=lambda report, role: _role(report, role),
        permitted=lambda user, report, role: _may_assign(user, report, role),
        form=lambda s, data: forms.AssignForm(data, report=s.report, role=s.target),
        name=lambda role: f"assign-{role}",
        call=lambda s: services.assign(s.user, s.report, s.data["person"], s.target),
        anchor=_fixed("people"),
        success=_fixed(gettext_lazy("The person is assigned to the case.")),
    ),
    "end_assignment": CaseFormAction(
        case_action=A.END_ASSIGNMENT,
        access=Action.ASSIGN,
        target=lambda report, assignment_id: get_object_or_404(
            CaseAssignment, pk=assignment_id, report=report, ended_at__isnull=True
        ),
        call=lambda s: services.end_assignment(s.user, s.target),
        anchor=_fixed("people"),
        success=_ended,
    ),
    # Intake and assessment.
    "assess": CaseFormAction(
        case_action=A.RECORD_ASSESSMENT,
        access=Action.ASSESS,
        form=lambda s, data: forms.AssessmentForm(data),
        name=_fixed("assessment"),
        call=lambda s: services.record_assessment(
            s.user,
            s.report,
            in_scope=s.data["in_scope"],
            urgency=s.data["urgency"],
            kind=s.data["kind"],
            type_codes=s.data["violation_types"],
            notes=s.data["notes"],
        ),
        anchor=_fixed("assessment"),
        success=_fixed(gettext_lazy("The assessment is saved.")),
    ),
    "check_conflict": CaseFormAction(
        case_action=A.CHECK_CONFLICT_ITEM,
        access=Action.ASSESS,
        form=lambda s, data: forms.ConflictCheckForm(data),
        name=_fixed("check"),
        call=lambda s: services.check_conflict_item(s.user, s.report, s.data["item"]),
        anchor=_fixed("conflict-checklist"),
        success=_fixed(gettext_lazy("The item is checked.")),
    ),
    # Follow-up.
    "decide_follow_up": CaseFormAction(
        case_action=A.DECIDE_FOLLOW_UP,
        access=Action.DECIDE_FOLLOW_UP,
        form=lambda s, data: forms.FollowUpForm(data),
        name=_fixed("follow-up"),
        call=lambda s: services.decide_follow_up(
            s.user,
            s.report,
            s.data["route"],
            s.data["reason"],
            referral_target=s.data["referral_target"],
            referral_organisation=s.data["referral_organisation"],
            message_to_reporter=s.data["message_to_reporter"],
        ),
        anchor=_fixed("phase-heading"),
        success=_fixed(gettext_lazy("The decision on follow-up is recorded.")),
    ),
    "record_outcome": CaseFormAction(
        case_action=A.RECORD_OUTCOME,
        access=Action.RECORD_OUTCOME,
        form=lambda s, data: forms.OutcomeForm(data),
        name=_fixed("outcome"),
        call=lambda s: services.record_outcome(s.user, s.report, s.data["outcome"]),
        anchor=_fixed("follow-up"),
        success=_fixed(gettext_lazy("The outcome is recorded.")),
    ),
    # Subjects.
    "record_subject": CaseFormAction(
        case_action=A.RECORD_SUBJECT,
        access=Action.RECORD_SUBJECT,
        form=lambda s, data: forms.SubjectForm(data, people=staff_of(s.report.organisation)),
        name=_fixed("subject"),
        call=lambda s: services.record_subject(
            s.user, s.report, person=s.data["person"], description=s.data["description"]
        ),
        anchor=_fixed("subjects"),
        success=_fixed(gettext_lazy("The subject is recorded.")),
    ),
    "subject_informed": CaseFormAction(
        case_action=A.RECORD_SUBJECT_INFORMED,
        access=Action.RECORD_SUBJECT,
        target=lambda report, subject_id: get_object_or_404(Subject, pk=subject_id, report=report),
        form=lambda s, data: forms.SubjectInformedForm(data, subject=s.target),
        name=lambda subject: f"informed-{subject.pk}",
        call=lambda s: services.record_subject_informed(
            s.user,
            s.target,
            informed_at=s.data["informed_at"],
            how=s.data["how"],
            note=s.data["note"],
        ),
        anchor=lambda subject: f"subject-{subject.pk}",
        success=_fixed(gettext_lazy("Recorded how the subject was informed.")),
    ),
    # Feedback and aftercare.
    "interim_feedback": CaseFormAction(
        case_action=A.GIVE_INTERIM_FEEDBACK,
        access=Action.FEEDBACK,
        form=lambda s, data: forms.FeedbackForm(data, kind="interim"),
        name=_fixed("feedback-interim"),
        call=lambda s: services.give_interim_feedback(s.user, s.report, s.data["text"]),
        anchor=_fixed("feedback"),
        success=_fixed(gettext_lazy("The interim feedback is in the reporter's mailbox.")),
    ),
    "final_feedback": CaseFormAction(
        case_action=A.GIVE_FINAL_FEEDBACK,
        access=Action.FEEDBACK,
        form=lambda s, data: forms.FeedbackForm(data, kind="final"),
        name=_fixed("feedback-final"),
        call=lambda s: services.give_final_feedback(s.user, s.report, s.data["text"]),
        anchor=_fixed("phase-heading"),
        success=_fixed(
            gettext_lazy(
                "The final feedback is in the reporter's mailbox. The case is now in aftercare."
            )
        ),
    ),
    "plan_aftercare": CaseFormAction(
        case_action=A.PLAN_AFTERCARE,
        access=Action.AFTERCARE,
        form=lambda s, data: forms.AftercarePlanForm(data),
        name=_fixed("aftercare"),
        call=lambda s: services.plan_aftercare(
            s.user,
            s.report,
            audience=s.data["audience"],
            description=s.data["description"],
            due_on=s.data["due_on"],
        ),
        anchor=_fixed("aftercare"),
        success=_fixed(gettext_lazy("The aftercare action is planned.")),
    ),
    "finish_aftercare": CaseFormAction(
        case_action=A.FINISH_AFTERCARE,
        access=Action.AFTERCARE,
        target=lambda report, action_id: get_object_or_404(
            AftercareAction, pk=action_id, report=report
        ),
        call=lambda s: services.finish_aftercare(s.user, s.target),
        anchor=_fixed("aftercare"),
        success=_fixed(gettext_lazy("The aftercare action is done.")),
    ),
    "cancel_aftercare": CaseFormAction(
        case_action=A.FINISH_AFTERCARE,
        access=Action.AFTERCARE,
        target=lambda report, action_id: get_object_or_404(
            AftercareAction, pk=action_id, report=report
        ),
        form=lambda s, data: forms.AftercareCancelForm(data, action_id=s.target.pk),
        name=lambda action: f"cancel-{action.pk}",
        call=lambda s: services.finish_aftercare(s.user, s.target, cancel_reason=s.data["reason"]),
        anchor=_fixed("aftercare"),
        success=_fixed(gettext_lazy("The aftercare action is cancelled.")),
    ),
    "complete_aftercare": CaseFormAction(
        case_action=A.COMPLETE_AFTERCARE,
        access=Action.AFTERCARE,
        form=lambda s, data: forms.EvaluationInvitationForm(data),
        name=_fixed("invitation"),
        call=lambda s: services.complete_aftercare(s.user, s.report, s.data["invitation"]),
        anchor=_fixed("phase-heading"),
        success=_fixed(
            gettext_lazy("Aftercare is complete. The reporter is invited to evaluate the process.")
        ),
    ),
    # Signals of disadvantage (RULES R8).
    "record_disadvantage": CaseFormAction(
        case_action=A.RECORD_DISADVANTAGE,
        access=Action.SIGNAL,
        form=lambda s, data: forms.DisadvantageForm(data),
        name=_fixed("signal"),
        call=lambda s: services.record_disadvantage(s.user, s.report, s.data["description"]),
        anchor=_fixed("disadvantage"),
        success=_fixed(gettext_lazy("The signal is recorded and the coordinators are alerted.")),
    ),
    "handle_disadvantage": CaseFormAction(
        case_action=A.HANDLE_DISADVANTAGE,
        access=Action.SIGNAL,
        target=lambda report, signal_id: get_object_or_404(
            DisadvantageSignal, pk=signal_id, report=report, handled_at__isnull=True
        ),
        call=lambda s: services.handle_disadvantage(s.user, s.target),
        anchor=_fixed("disadvantage"),
        success=_fixed(gettext_lazy("The signal is marked as handled.")),
    ),
    # Decision and measures by the competent authority.
    "record_decision": CaseFormAction(
        case_action=A.RECORD_DECISION,
        access=Action.DECIDE,
        form=lambda s, data: forms.DecisionForm(data, types=list(s.report.classified_types.all())),
        name=_fixed("decision"),
        call=lambda s: services.record_decision(
            s.user,
            s.report,
            summary=s.data["summary"],
            findings=s.form.findings(),
            decided_on=s.data["decided_on"],
        ),
        anchor=_fixed("decision"),
        success=_fixed(gettext_lazy("The decision is recorded.")),
    ),
    "record_hearing": CaseFormAction(
        case_action=A.RECORD_HEARING,
        access=Action.MEASURE,
        form=lambda s, data: forms.HearingRecordForm(data, subjects=_subjects(s.report)),
        name=_fixed("hearing"),
        call=lambda s: services.record_hearing(
            s.user,
            s.report,
            s.data["subject"],
            held_on=s.data["held_on"],
            form=s.data["form"],
            assisted_by=s.data["assisted_by"],
            record_text=s.data["record_text"],
        ),
        anchor=_fixed("hearings"),
        success=_fixed(gettext_lazy("The hearing is recorded.")),
    ),
    "impose_measure": CaseFormAction(
        case_action=A.IMPOSE_MEASURE,
        access=Action.MEASURE,
        form=lambda s, data: forms.MeasureForm(data, subjects=_subjects(s.report)),
        name=_fixed("measure"),
        call=lambda s: services.impose_measure(
            s.user, s.report, s.data["subject"], s.data["measure_type"].code, s.data["imposed_on"]
        ),
        anchor=_fixed("measures"),
        success=_fixed(gettext_lazy("The measure is recorded.")),
    ),
    "impose_order_measure": CaseFormAction(
        case_action=A.IMPOSE_ORDER_MEASURE,
        access=Action.MEASURE,
        form=lambda s, data: forms.OrderMeasureForm(data, subjects=_subjects(s.report)),
        name=_fixed("order"),
        call=lambda s: services.impose_order_measure(
            s.user,
            s.report,
            s.data["subject"],
            kind=s.data["kind"],
            reason=s.data["reason"],
            starts_on=s.data["starts_on"],
            ends_on=s.data["ends_on"],
        ),
        anchor=_fixed("order-measures"),
        success=_fixed(gettext_lazy("The order measure is recorded.")),
    ),
    "lift_order_measure": CaseFormAction(
        case_action=A.LIFT_ORDER_MEASURE,
        access=Action.MEASURE,
        target=lambda report, measure_id: get_object_or_404(
            OrderMeasure, pk=measure_id, report=report, lifted_on=None
        ),
        form=lambda s, data: forms.LiftOrderMeasureForm(data, measure_id=s.target.pk),
        name=lambda measure: f"lift-{measure.pk}",
        call=lambda s: services.lift_order_measure(s.user, s.target, s.data["lifted_on"]),
        anchor=_fixed("order-measures"),
        success=_fixed(gettext_lazy("The order measure is lifted.")),
    ),
}


@staff_required
@require_POST
def case_action(request, report_id, key: str, **url_args):
    """Any action of `CASE_ACTIONS`; `url_args` name its record (or the role to assign)."""
    entry = CASE_ACTIONS[key]
    report = report_for(request.user, report_id, entry.access)
    target = entry.target(report, **url_args) if entry.target else None
    if entry.permitted is not None and not entry.permitted(request.user, report, **url_args):
        raise Http404
    submission = Submission(request.user, report, target)
    if entry.form is not None:
        submission.form = entry.form(submission, request.POST)
    if (reasons := guards.refusals(entry.case_action, report)) and not typed_text(submission.form):
        # Not open now, and nothing typed to lose: the reasons on the case page, no re-post.
        return refuse_with_redirect(request, reasons, _case_url(report, entry.anchor(target)))
    unconfirmed = entry.case_action in guards.IRREVERSIBLE and not confirmed(request)
    if entry.form is None:
        if unconfirmed:
            messages.error(request, not_confirmed_message())
            return _to_case(report, entry.anchor(target))
        return _press(request, entry, submission)
    if unconfirmed:
        # The form comes back as typed, with the reason beside it; nothing is carried out.
        submission.form.is_valid()
        submission.form.add_error(None, not_confirmed_message())
        messages.error(request, not_confirmed_message())
        return _case_page(request, report, entry.name(target), submission.form)
    return handle_form(
        request,
        submission.form,
        lambda data: entry.call(submission),
        refusals=REFUSALS,
        success=entry.success(target),
        on_success=lambda: _to_case(report, entry.anchor(target)),
        on_refusal=lambda bound: _case_page(request, report, entry.name(target), bound),
    )


def _press(request, entry: CaseFormAction, submission: Submission):
    """A button without a form: done, or the reason in a message; back to the case page."""
    try:
        entry.call(submission)
    except REFUSALS as error:
        messages.error(request, " ".join(reasons_of(error)))
    else:
        messages.success(request, entry.success(submission.target))
    return _to_case(submission.report, entry.anchor(submission.target))


# --- Declared conflicts of interest (no case) --------------------------------------------------


def _colleagues(user: User):
    organisations = Organisation.objects.filter(
        Q(role_assignments__user=user) | Q(units__members=user)
    ).distinct()
    colleagues = User.objects.none()
    for organisation in organisations:
        colleagues = colleagues | staff_of(organisation)
    return colleagues.exclude(pk=user.pk).distinct().order_by("last_name", "first_name")


@staff_required
def conflicts(request):
    """The user's own declared conflicts of interest with colleagues (checked on assignment)."""
    colleagues = _colleagues(request.user)
    form = forms.DeclareConflictForm(request.POST or None, people=colleagues)
    if request.method == "POST":
        if form.is_valid():
            services.declare_conflict(request.user, form.cleaned_data["person"])
            # No name in the message: flash messages wait in the database session (ADR 0013).
            messages.success(request, _("Your declaration of a conflict of interest is recorded."))
            return redirect("cases:conflicts")
        messages.error(request, _("Not saved: check the fields marked below."))
    declarations = list(services.declared_conflicts_of(request.user).order_by("declared_at"))
    named = people.people_of(declarations, "person")
    declared = [(conflict, named.get(conflict.pk)) for conflict in declarations]
    return render(request, "cases/conflicts.html", {"form": form, "declared": declared})


@staff_required
@require_POST
def withdraw_conflict(request, conflict_id):
    conflict = services.declared_conflicts_of(request.user).filter(pk=conflict_id).first()
    if conflict is None:
        raise Http404
    services.withdraw_conflict(request.user, conflict)
    messages.success(request, _("Your declaration is withdrawn."))
    return redirect("cases:conflicts")
