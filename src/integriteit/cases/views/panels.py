"""What the panels of the case page show: the records of each phase (sealed text opened for
display), the forms the current user may use now, and "what you may and must do now, and by
when". Reads only; the access rules decide (through `actions`) which sections exist at all."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.access.rules import Action
from integriteit.accounts.selectors import staff_of
from integriteit.deadlines.services import Deadline, deadline
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from .. import forms, people, services, workflow
from ..constants import CaseRole, ConflictCheckItem
from ..models import AftercareAction, OrderMeasure, Subject

P = Phase
ROUTE_PHASES = {P.INVESTIGATION, P.MEDIATION, P.REFERRAL, P.NO_FURTHER_ACTION}
ROUTE_STEPS = set(workflow.ROUTE_TRANSITION.values())
OPEN_PHASES = set(Phase) - {P.CLOSED}

# Which action a step needs, and where its form is on the page (simple steps have a button).
STEP_ACTION: dict[str, Action] = {
    "acknowledge": Action.ACKNOWLEDGE,
    "start_assessment": Action.ASSESS,
    "complete_assessment": Action.ASSESS,
    "start_investigation": Action.DECIDE_FOLLOW_UP,
    "start_mediation": Action.DECIDE_FOLLOW_UP,
    "refer": Action.DECIDE_FOLLOW_UP,
    "no_further_action": Action.DECIDE_FOLLOW_UP,
    "complete_investigation": Action.RECORD_OUTCOME,
    "complete_follow_up": Action.RECORD_OUTCOME,
    "record_decision": Action.DECIDE,
    "give_final_feedback": Action.FEEDBACK,
    "complete_aftercare": Action.AFTERCARE,
    "close": Action.CLOSE,
    "reopen": Action.REOPEN,
}
STEP_ANCHOR = {
    "acknowledge": "step-acknowledge",
    "give_final_feedback": "step-give_final_feedback",
    "complete_aftercare": "step-complete_aftercare",
    "reopen": "step-reopen",
    **{name: "step-follow-up" for name in ROUTE_STEPS},
}

# What each action means, in the words of the page ("you may ...").
ACTION_LABELS = {
    Action.ACKNOWLEDGE: gettext_lazy("acknowledge receipt"),
    Action.MESSAGE: gettext_lazy("write to the reporter"),
    Action.ASSESS: gettext_lazy("assess the report"),
    Action.ASSIGN: gettext_lazy("assign people to the case"),
    Action.DECIDE_FOLLOW_UP: gettext_lazy("decide on follow-up"),
    Action.RECORD_OUTCOME: gettext_lazy("record the outcome of the follow-up"),
    Action.RECORD_SUBJECT: gettext_lazy("record subjects and when they were informed"),
    Action.FEEDBACK: gettext_lazy("give feedback to the reporter"),
    Action.AFTERCARE: gettext_lazy("plan and finish aftercare"),
    Action.SIGNAL: gettext_lazy("record and handle signals of disadvantage"),
    Action.DECIDE: gettext_lazy("record the decision"),
    Action.MEASURE: gettext_lazy("record hearings and impose measures"),
    Action.CLOSE: gettext_lazy("close the case"),
    Action.REOPEN: gettext_lazy("reopen the case"),
}


ROLE_LABELS = {
    "coordinator": gettext_lazy("Integrity coordinator of the organisation"),
    **{role.value: role.label for role in CaseRole},
}


@dataclass
class StepRow:
    name: str
    label: Any
    refusals: list[str]
    mine: bool
    simple: bool
    anchor: str


@dataclass
class Todo:
    """One thing the current user may or must do now; `deadline` says by when, if anything."""

    text: str
    anchor: str
    deadline: Deadline | None = None
    blocked: list[str] = field(default_factory=list)
    urgent: bool = False
    is_step: bool = False


def _deadline(name: str, due, met_at=None, now=None) -> Deadline:
    return deadline(name, due, met_at, now or timezone.now())


@dataclass
class SubjectRow:
    subject: Subject
    person: Any  # the staff member (opened from the sealed reference), or None
    label: str
    description: str
    informed_note: str
    hearings: list
    measures: list
    order_measures: list
    informed_form: Any = None


@dataclass
class AftercareRow:
    action: AftercareAction
    description: str
    cancel_reason: str
    cancel_form: Any = None


@dataclass
class OrderMeasureRow:
    measure: OrderMeasure
    subject_label: str
    reason: str
    lift_form: Any = None


def _pick(bound: dict, name: str, default):
    return bound.get(name) or default


def _step_rows(report: Report, actions: set[str], simple_steps) -> list[StepRow]:
    rows: list[StepRow] = []
    route_row_added = False
    for transition in workflow.available(report):
        name = transition.name
        mine = STEP_ACTION[name] in actions
        if name in ROUTE_STEPS:
            # The four routes are one decision with one form: show them as one step.
            if route_row_added:
                continue
            route_row_added = True
            rows.append(
                StepRow(
                    name,
                    _("Decide on follow-up"),
                    [],
                    STEP_ACTION[name] in actions,
                    False,
                    STEP_ANCHOR[name],
                )
            )
            continue
        rows.append(
            StepRow(
                name,
                transition.label,
                workflow.refusals(report, name),
                mine,
                name in simple_steps,
                STEP_ANCHOR.get(name, "next-steps"),
            )
        )
    return rows


def _todo(
    report: Report,
    actions: set[str],
    steps: list[StepRow],
    *,
    interim_due,
    aftercare: list[AftercareRow],
    signals: list,
    subjects: list[SubjectRow],
) -> list[Todo]:
    now = timezone.now()
    items: list[Todo] = []
    if Action.SIGNAL in actions:
        for signal, _description in signals:
            if signal.handled_at is None:
                items.append(
                    Todo(
                        _("Act on the signal of disadvantage recorded on %(date)s (RULES R8).")
                        % {"date": timezone.localtime(signal.recorded_at).strftime("%d-%m-%Y")},
                        "disadvantage",
                        urgent=True,
                    )
                )
    for step in steps:
        if not step.mine:
            continue
        deadline = None
        if step.name == "acknowledge":
            deadline = _deadline("acknowledgement", report.acknowledgement_due, None, now)
        elif step.name == "give_final_feedback" and report.feedback_due:
            deadline = _deadline("final_feedback", report.feedback_due, None, now)
        items.append(Todo(str(step.label), step.anchor, deadline, step.refusals, is_step=True))
    if Action.RECORD_SUBJECT in actions and report.phase in ROUTE_PHASES | {P.DECISION}:
        for row in subjects:
            if row.subject.informed_at is None:
                items.append(
                    Todo(
                        _("Inform %(subject)s and record when and how.") % {"subject": row.label},
                        "subjects",
                    )
                )
    if Action.MEASURE in actions and report.phase == P.DECISION:
        for row in subjects:
            if not row.hearings:
                items.append(
                    Todo(
                        _("Hear %(subject)s before any measure (RULES R10).")
                        % {"subject": row.label},
                        "hearings",
                    )
                )
    if Action.FEEDBACK in actions and report.phase != P.FEEDBACK:
        if interim_due is not None:
            items.append(
                Todo(
                    _("Give interim feedback to the reporter."),
                    "feedback",
                    _deadline("interim_feedback", interim_due, None, now),
                )
            )
        if report.acknowledged_at and report.feedback_given_at is None and report.feedback_due:
            items.append(
                Todo(
                    _("Final feedback to the reporter within the legal term (RULES R4)."),
                    "feedback",
                    _deadline("final_feedback", report.feedback_due, None, now),
                )
            )
    if Action.AFTERCARE in actions:
        for care in aftercare:
            if care.action.is_open:
                items.append(
                    Todo(
                        _("Aftercare for %(audience)s: %(description)s")
                        % {
                            "audience": care.action.get_audience_display().lower(),
                            "description": care.description,
                        },
                        "aftercare",
                        _deadline("aftercare", care.action.due_on, None, now),
                    )
                )
    # Urgent signals first, then this phase's steps, then the rest by due date.
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    steps_first = {id(t): i for i, t in enumerate(items) if t.is_step}
    items.sort(
        key=lambda t: (
            not t.urgent,
            not t.is_step,
            steps_first.get(id(t), 0),
            t.deadline.due if t.deadline else far,
        )
    )
    return items


def panel_context(
    user, report: Report, actions: set[str], roles: set[str], bound: dict | None = None
) -> dict:
    """Everything the panels need; `bound` holds forms with the user's input after a refusal."""
    from .workspace import SIMPLE_STEPS  # the simple steps have their buttons in workspace

    bound = bound or {}
    phase = report.phase
    is_open = phase in OPEN_PHASES
    ctx: dict[str, Any] = {"panel_phase": phase}

    # People on the case.
    assignments = list(
        report.assignments.filter(ended_at__isnull=True)
        .select_related("user", "assigned_by")
        .order_by("role", "assigned_at")
    )
    ctx["assignments"] = assignments
    # The competent authority commissions the investigation: it may assign the investigator.
    assignable = (
        list(CaseRole)
        if Action.ASSIGN in actions
        else [CaseRole.INVESTIGATOR]
        if Action.DECIDE_FOLLOW_UP in actions
        else []
    )
    if assignable and is_open:
        ctx["assign_forms"] = [
            _pick(bound, f"assign-{role}", None) or forms.AssignForm(report=report, role=role)
            for role in assignable
        ]
    ctx["may_end_assignments"] = Action.ASSIGN in actions and is_open

    # Intake and assessment.
    assessment = getattr(report, "assessment", None)
    ctx["assessment"] = assessment
    ctx["assessment_notes"] = services.shown_on(assessment, "sealed_notes") if assessment else ""
    if Action.ASSESS in actions and phase == P.ASSESSMENT:
        initial: dict[str, Any] = {}
        if assessment is not None:
            initial = {
                "in_scope": {True: "yes", False: "no"}.get(assessment.in_scope),
                "urgency": assessment.urgency,
                "notes": ctx["assessment_notes"],
            }
        initial["kind"] = report.classified_kind or report.kind
        initial["violation_types"] = [
            t.code for t in (report.classified_types.all() or report.reported_types.all())
        ]
        ctx["assessment_form"] = _pick(bound, "assessment", None) or forms.AssessmentForm(
            initial=initial
        )
    checks = {c.item: c for c in report.conflict_checks.select_related("checked_by")}
    ctx["checklist"] = [(item, item.label, checks.get(item.value)) for item in ConflictCheckItem]
    ctx["checklist_editable"] = Action.ASSESS in actions and phase == P.ASSESSMENT

    # Follow-up.
    follow_up = getattr(report, "follow_up", None)
    ctx["follow_up"] = follow_up
    ctx["follow_up_reason"] = services.shown_on(follow_up, "sealed_reason") if follow_up else ""
    ctx["follow_up_outcome"] = services.shown_on(follow_up, "sealed_outcome") if follow_up else ""
    ctx["follow_up_referral_organisation"] = (
        services.shown_on(follow_up, "sealed_referral_organisation") if follow_up else ""
    )
    if Action.DECIDE_FOLLOW_UP in actions and phase == P.FOLLOW_UP_DECISION:
        ctx["follow_up_form"] = _pick(bound, "follow-up", None) or forms.FollowUpForm()
    if Action.RECORD_OUTCOME in actions and phase in ROUTE_PHASES and follow_up is not None:
        ctx["outcome_form"] = _pick(bound, "outcome", None) or forms.OutcomeForm(
            initial={"outcome": ctx["follow_up_outcome"]}
        )

    # Subjects, hearings and measures.
    subjects = list(report.subjects.order_by("recorded_at", "pk"))
    subject_people = people.people_of(subjects, "person")
    hearings = list(report.hearings.select_related("subject").order_by("held_on", "pk"))
    measures = list(report.measures.select_related("measure_type").order_by("imposed_on", "pk"))
    orders = list(report.order_measures.order_by("starts_on", "pk"))
    subject_rows = []
    labels = {}
    for subject in subjects:
        person = subject_people.get(subject.pk)
        label = str(person) if person is not None else forms.subject_label(subject)
        labels[subject.pk] = label
        row = SubjectRow(
            subject,
            person,
            label,
            services.shown_on(subject, "sealed_description"),
            services.shown_on(subject, "sealed_informed_note"),
            [
                (
                    h,
                    services.shown_on(h, "sealed_record"),
                    services.shown_on(h, "sealed_assisted_by"),
                )
                for h in hearings
                if h.subject_id == subject.pk
            ],
            [m for m in measures if m.subject_id == subject.pk],
            [o for o in orders if o.subject_id == subject.pk],
        )
        if Action.RECORD_SUBJECT in actions and is_open:
            row.informed_form = _pick(
                bound, f"informed-{subject.pk}", None
            ) or forms.SubjectInformedForm(subject=subject)
        subject_rows.append(row)
    ctx["subjects"] = subject_rows
    ctx["measures_without_subject"] = [m for m in measures if m.subject_id is None]
    if Action.RECORD_SUBJECT in actions and is_open:
        ctx["subject_form"] = _pick(bound, "subject", None) or forms.SubjectForm(
            people=staff_of(report.organisation)
        )

    # Feedback.
    interim_due = services.interim_feedback_due(report)
    ctx["interim_due"] = interim_due and _deadline("interim_feedback", interim_due)
    ctx["feedback_given"] = list(report.feedback.select_related("given_by"))
    ctx["final_due"] = (
        _deadline("final_feedback", report.feedback_due, report.feedback_given_at)
        if report.feedback_due and report.acknowledged_at
        else None
    )
    if Action.FEEDBACK in actions:
        if is_open and report.acknowledged_at and report.feedback_given_at is None:
            ctx["interim_form"] = _pick(bound, "feedback-interim", None) or forms.FeedbackForm(
                kind="interim"
            )
        if phase == P.FEEDBACK:
            ctx["final_form"] = _pick(bound, "feedback-final", None) or forms.FeedbackForm(
                kind="final"
            )

    # Aftercare and signals of disadvantage.
    aftercare_rows = []
    for planned in report.aftercare_actions.select_related("planned_by", "finished_by"):
        care = AftercareRow(
            planned,
            services.shown_on(planned, "sealed_description"),
            services.shown_on(planned, "sealed_cancel_reason"),
        )
        if Action.AFTERCARE in actions and planned.is_open:
            care.cancel_form = _pick(
                bound, f"cancel-{planned.pk}", None
            ) or forms.AftercareCancelForm(action_id=planned.pk)
        aftercare_rows.append(care)
    ctx["aftercare"] = aftercare_rows
    if Action.AFTERCARE in actions and phase not in {P.RECEIVED, P.EVALUATION, P.CLOSED}:
        ctx["aftercare_form"] = _pick(bound, "aftercare", None) or forms.AftercarePlanForm()
    if Action.AFTERCARE in actions and phase == P.AFTERCARE:
        ctx["invitation_form"] = _pick(bound, "invitation", None) or forms.EvaluationInvitationForm(
            initial={"invitation": default_invitation(report)}
        )
    signals = [
        (s, services.shown_on(s, "sealed_description"))
        for s in report.disadvantage_signals.select_related("recorded_by").order_by("recorded_at")
    ]
    ctx["signals"] = signals
    ctx["unhandled_signals"] = sum(1 for s, _d in signals if s.handled_at is None)
    if Action.SIGNAL in actions and is_open:
        ctx["signal_form"] = _pick(bound, "signal", None) or forms.DisadvantageForm()

    # Decision and measures.
    decision = getattr(report, "decision", None)
    ctx["decision"] = decision
    ctx["decision_summary"] = services.shown_on(decision, "sealed_summary") if decision else ""
    ctx["findings"] = list(decision.findings.select_related("violation_type")) if decision else []
    classified = list(report.classified_types.all())
    if Action.DECIDE in actions and phase == P.DECISION:
        decision_initial: dict[str, Any] = {"decided_on": forms.today()}
        if decision is not None:
            decision_initial = {
                "summary": ctx["decision_summary"],
                "decided_on": timezone.localtime(decision.decided_at).date(),
                **{
                    f"finding_{f.violation_type.code}": "yes" if f.established else "no"
                    for f in ctx["findings"]
                },
            }
        ctx["decision_form"] = _pick(bound, "decision", None) or forms.DecisionForm(
            types=classified, initial=decision_initial
        )
    subject_qs = report.subjects.order_by("recorded_at", "pk")
    ctx["may_measure"] = Action.MEASURE in actions and phase in {
        P.FOLLOW_UP_DECISION,
        P.INVESTIGATION,
        P.DECISION,
    }
    if Action.MEASURE in actions and phase == P.DECISION:
        ctx["hearing_form"] = _pick(bound, "hearing", None) or forms.HearingRecordForm(
            subjects=subject_qs
        )
        ctx["measure_form"] = _pick(bound, "measure", None) or forms.MeasureForm(
            subjects=subject_qs, initial={"imposed_on": forms.today()}
        )
    order_rows = []
    for order in orders:
        order_row = OrderMeasureRow(
            order, labels.get(order.subject_id, ""), services.shown_on(order, "sealed_reason")
        )
        if Action.MEASURE in actions and is_open and order.lifted_on is None:
            order_row.lift_form = _pick(
                bound, f"lift-{order.pk}", None
            ) or forms.LiftOrderMeasureForm(measure_id=order.pk)
        order_rows.append(order_row)
    ctx["order_measures"] = order_rows
    if ctx["may_measure"]:
        ctx["order_form"] = _pick(bound, "order", None) or forms.OrderMeasureForm(
            subjects=subject_qs
        )

    # Reopening.
    if Action.REOPEN in actions and phase == P.CLOSED:
        ctx["reopen_form"] = _pick(bound, "reopen", None) or forms.ReopenForm()

    # The phase panel: steps, and what the current user may and must do now.
    steps = _step_rows(report, actions, SIMPLE_STEPS)
    ctx["step_rows"] = steps
    ctx["todo"] = _todo(
        report,
        actions,
        steps,
        interim_due=interim_due,
        aftercare=aftercare_rows,
        signals=signals,
        subjects=subject_rows,
    )
    ctx["role_labels"] = [ROLE_LABELS.get(role, role) for role in sorted(roles)]
    ctx["may_do"] = [
        ACTION_LABELS[Action(a)] for a in Action if a in actions and a in ACTION_LABELS
    ]
    ctx["show_measures_panel"] = bool(
        decision
        or measures
        or orders
        or ctx["may_measure"]
        or (Action.DECIDE in actions and phase == P.DECISION)
    )
    return ctx


def default_invitation(report: Report) -> str:
    return _(
        "Your report %(reference)s has been handled. We would like to know how you experienced "
        "the process: did you feel safe, were you kept informed, were you taken seriously? "
        "Answering takes a few minutes and helps us improve. You can answer in your mailbox."
    ) % {"reference": report.reference}
