"""The forms of the case page, one view each. Thin: `report_for` checks the action (404 for
anyone without it), the form checks the input, the service checks the rules of the process.

A refusal (CaseError, TransitionRefused, ValidationError) shows the case page again with the
reason in a message and next to the form, keeping what the user typed; success redirects back
to the case page at the section concerned."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.access.rules import Action, can
from integriteit.accounts.decorators import staff_required
from integriteit.accounts.models import User
from integriteit.accounts.selectors import staff_of
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report
from integriteit.reports.selectors import report_for
from integriteit.ui.submission import handle_form, reasons_of, show_refusal

from .. import forms, people, services
from ..constants import CaseRole
from ..models import (
    AftercareAction,
    CaseAssignment,
    DisadvantageSignal,
    OrderMeasure,
    Subject,
)
from .workspace import case_context

REFUSALS = (services.CaseError, services.TransitionRefused, ValidationError)


def _to_case(report: Report, anchor: str):
    return redirect(reverse("cases:detail", kwargs={"report_id": report.pk}) + f"#{anchor}")


def _refused(request, report: Report, name: str, form, error: Exception | None = None):
    """Show the case page again with the form as the user filled it in, and why it failed."""
    show_refusal(request, form, error)
    return _case_page(request, report, name, form)


def _case_page(request, report: Report, name: str, form):
    return render(request, "cases/case.html", case_context(request, report, {name: form}))


def _handle(
    request,
    report: Report,
    name: str,
    form,
    call: Callable[[dict], object],
    *,
    anchor: str,
    success: str,
):
    return handle_form(
        request,
        form,
        call,
        refusals=REFUSALS,
        success=success,
        on_success=lambda: _to_case(report, anchor),
        on_refusal=lambda bound: _case_page(request, report, name, bound),
    )


# --- People on the case ------------------------------------------------------------------------


@staff_required
@require_POST
def assign(request, report_id, role):
    report = report_for(request.user, report_id)
    if role not in CaseRole.values:
        raise Http404
    # The competent authority commissions the investigation, so it may assign the investigator.
    commissions = role == CaseRole.INVESTIGATOR and can(
        request.user, Action.DECIDE_FOLLOW_UP, report
    )
    if not (commissions or can(request.user, Action.ASSIGN, report)):
        raise Http404
    form = forms.AssignForm(request.POST, report=report, role=role)
    return _handle(
        request,
        report,
        f"assign-{role}",
        form,
        lambda d: services.assign(request.user, report, d["person"], role),
        anchor="people",
        success=_("The person is assigned to the case."),
    )


@staff_required
@require_POST
def end_assignment(request, report_id, assignment_id):
    report = report_for(request.user, report_id, Action.ASSIGN)
    assignment = get_object_or_404(
        CaseAssignment, pk=assignment_id, report=report, ended_at__isnull=True
    )
    services.end_assignment(request.user, assignment)
    messages.success(
        request,
        _("%(person)s no longer has the role “%(role)s” on this case.")
        % {"person": assignment.user, "role": assignment.get_role_display()},
    )
    return _to_case(report, "people")


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


# --- Intake and assessment ---------------------------------------------------------------------


@staff_required
@require_POST
def assess(request, report_id):
    report = report_for(request.user, report_id, Action.ASSESS)
    form = forms.AssessmentForm(request.POST)
    return _handle(
        request,
        report,
        "assessment",
        form,
        lambda d: services.record_assessment(
            request.user,
            report,
            in_scope=d["in_scope"],
            urgency=d["urgency"],
            kind=d["kind"],
            type_codes=d["violation_types"],
            notes=d["notes"],
        ),
        anchor="assessment",
        success=_("The assessment is saved."),
    )


@staff_required
@require_POST
def check_conflict(request, report_id):
    report = report_for(request.user, report_id, Action.ASSESS)
    form = forms.ConflictCheckForm(request.POST)
    return _handle(
        request,
        report,
        "check",
        form,
        lambda d: services.check_conflict_item(request.user, report, d["item"]),
        anchor="conflict-checklist",
        success=_("The item is checked."),
    )


# --- Follow-up ---------------------------------------------------------------------------------


@staff_required
@require_POST
def decide_follow_up(request, report_id):
    report = report_for(request.user, report_id, Action.DECIDE_FOLLOW_UP)
    form = forms.FollowUpForm(request.POST)
    return _handle(
        request,
        report,
        "follow-up",
        form,
        lambda d: services.decide_follow_up(
            request.user,
            report,
            d["route"],
            d["reason"],
            referral_target=d["referral_target"],
            referral_organisation=d["referral_organisation"],
            message_to_reporter=d["message_to_reporter"],
        ),
        anchor="phase-heading",
        success=_("The decision on follow-up is recorded."),
    )


@staff_required
@require_POST
def record_outcome(request, report_id):
    report = report_for(request.user, report_id, Action.RECORD_OUTCOME)
    form = forms.OutcomeForm(request.POST)
    return _handle(
        request,
        report,
        "outcome",
        form,
        lambda d: services.record_outcome(request.user, report, d["outcome"]),
        anchor="follow-up",
        success=_("The outcome is recorded."),
    )


# --- Subjects ----------------------------------------------------------------------------------


@staff_required
@require_POST
def record_subject(request, report_id):
    report = report_for(request.user, report_id, Action.RECORD_SUBJECT)
    form = forms.SubjectForm(request.POST, people=staff_of(report.organisation))
    return _handle(
        request,
        report,
        "subject",
        form,
        lambda d: services.record_subject(
            request.user, report, person=d["person"], description=d["description"]
        ),
        anchor="subjects",
        success=_("The subject is recorded."),
    )


@staff_required
@require_POST
def subject_informed(request, report_id, subject_id):
    report = report_for(request.user, report_id, Action.RECORD_SUBJECT)
    subject = get_object_or_404(Subject, pk=subject_id, report=report)
    form = forms.SubjectInformedForm(request.POST, subject=subject)
    return _handle(
        request,
        report,
        f"informed-{subject.pk}",
        form,
        lambda d: services.record_subject_informed(
            request.user, subject, informed_at=d["informed_at"], how=d["how"], note=d["note"]
        ),
        anchor=f"subject-{subject.pk}",
        success=_("Recorded how the subject was informed."),
    )


# --- Feedback and aftercare --------------------------------------------------------------------


@staff_required
@require_POST
def interim_feedback(request, report_id):
    report = report_for(request.user, report_id, Action.FEEDBACK)
    form = forms.FeedbackForm(request.POST, kind="interim")
    return _handle(
        request,
        report,
        "feedback-interim",
        form,
        lambda d: services.give_interim_feedback(request.user, report, d["text"]),
        anchor="feedback",
        success=_("The interim feedback is in the reporter's mailbox."),
    )


@staff_required
@require_POST
def final_feedback(request, report_id):
    report = report_for(request.user, report_id, Action.FEEDBACK)
    form = forms.FeedbackForm(request.POST, kind="final")
    return _handle(
        request,
        report,
        "feedback-final",
        form,
        lambda d: services.give_final_feedback(request.user, report, d["text"]),
        anchor="phase-heading",
        success=_("The final feedback is in the reporter's mailbox. The case is now in aftercare."),
    )


@staff_required
@require_POST
def plan_aftercare(request, report_id):
    report = report_for(request.user, report_id, Action.AFTERCARE)
    form = forms.AftercarePlanForm(request.POST)
    return _handle(
        request,
        report,
        "aftercare",
        form,
        lambda d: services.plan_aftercare(
            request.user,
            report,
            audience=d["audience"],
            description=d["description"],
            due_on=d["due_on"],
        ),
        anchor="aftercare",
        success=_("The aftercare action is planned."),
    )


@staff_required
@require_POST
def finish_aftercare(request, report_id, action_id):
    report = report_for(request.user, report_id, Action.AFTERCARE)
    action = get_object_or_404(AftercareAction, pk=action_id, report=report)
    try:
        services.finish_aftercare(request.user, action)
        messages.success(request, _("The aftercare action is done."))
    except REFUSALS as error:
        messages.error(request, " ".join(reasons_of(error)))
    return _to_case(report, "aftercare")


@staff_required
@require_POST
def cancel_aftercare(request, report_id, action_id):
    report = report_for(request.user, report_id, Action.AFTERCARE)
    action = get_object_or_404(AftercareAction, pk=action_id, report=report)
    form = forms.AftercareCancelForm(request.POST, action_id=action.pk)
    return _handle(
        request,
        report,
        f"cancel-{action.pk}",
        form,
        lambda d: services.finish_aftercare(request.user, action, cancel_reason=d["reason"]),
        anchor="aftercare",
        success=_("The aftercare action is cancelled."),
    )


@staff_required
@require_POST
def complete_aftercare(request, report_id):
    report = report_for(request.user, report_id, Action.AFTERCARE)
    form = forms.EvaluationInvitationForm(request.POST)
    return _handle(
        request,
        report,
        "invitation",
        form,
        lambda d: services.complete_aftercare(request.user, report, d["invitation"]),
        anchor="phase-heading",
        success=_("Aftercare is complete. The reporter is invited to evaluate the process."),
    )


@staff_required
@require_POST
def record_disadvantage(request, report_id):
    report = report_for(request.user, report_id, Action.SIGNAL)
    form = forms.DisadvantageForm(request.POST)
    return _handle(
        request,
        report,
        "signal",
        form,
        lambda d: services.record_disadvantage(request.user, report, d["description"]),
        anchor="disadvantage",
        success=_("The signal is recorded and the coordinators are alerted."),
    )


@staff_required
@require_POST
def handle_disadvantage(request, report_id, signal_id):
    report = report_for(request.user, report_id, Action.SIGNAL)
    signal = get_object_or_404(
        DisadvantageSignal, pk=signal_id, report=report, handled_at__isnull=True
    )
    services.handle_disadvantage(request.user, signal)
    messages.success(request, _("The signal is marked as handled."))
    return _to_case(report, "disadvantage")


# --- Decision and measures ---------------------------------------------------------------------


@staff_required
@require_POST
def record_decision(request, report_id):
    report = report_for(request.user, report_id, Action.DECIDE)
    form = forms.DecisionForm(request.POST, types=list(report.classified_types.all()))
    return _handle(
        request,
        report,
        "decision",
        form,
        lambda d: services.record_decision(
            request.user,
            report,
            summary=d["summary"],
            findings=form.findings(),
            decided_on=d["decided_on"],
        ),
        anchor="decision",
        success=_("The decision is recorded."),
    )


def _subjects(report: Report):
    return report.subjects.order_by("recorded_at", "pk")


@staff_required
@require_POST
def record_hearing(request, report_id):
    report = report_for(request.user, report_id, Action.MEASURE)
    form = forms.HearingRecordForm(request.POST, subjects=_subjects(report))
    return _handle(
        request,
        report,
        "hearing",
        form,
        lambda d: services.record_hearing(
            request.user,
            report,
            d["subject"],
            held_on=d["held_on"],
            form=d["form"],
            assisted_by=d["assisted_by"],
            record_text=d["record_text"],
        ),
        anchor="hearings",
        success=_("The hearing is recorded."),
    )


@staff_required
@require_POST
def impose_measure(request, report_id):
    report = report_for(request.user, report_id, Action.MEASURE)
    form = forms.MeasureForm(request.POST, subjects=_subjects(report))
    return _handle(
        request,
        report,
        "measure",
        form,
        lambda d: services.impose_measure(
            request.user, report, d["subject"], d["measure_type"].code, d["imposed_on"]
        ),
        anchor="measures",
        success=_("The measure is recorded."),
    )


@staff_required
@require_POST
def impose_order_measure(request, report_id):
    report = report_for(request.user, report_id, Action.MEASURE)
    form = forms.OrderMeasureForm(request.POST, subjects=_subjects(report))
    return _handle(
        request,
        report,
        "order",
        form,
        lambda d: services.impose_order_measure(
            request.user,
            report,
            d["subject"],
            kind=d["kind"],
            reason=d["reason"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
        anchor="order-measures",
        success=_("The order measure is recorded."),
    )


@staff_required
@require_POST
def lift_order_measure(request, report_id, measure_id):
    report = report_for(request.user, report_id, Action.MEASURE)
    measure = get_object_or_404(OrderMeasure, pk=measure_id, report=report, lifted_on=None)
    form = forms.LiftOrderMeasureForm(request.POST, measure_id=measure.pk)
    return _handle(
        request,
        report,
        f"lift-{measure.pk}",
        form,
        lambda d: services.lift_order_measure(request.user, measure, d["lifted_on"]),
        anchor="order-measures",
        success=_("The order measure is lifted."),
    )
