"""Reads of case data for the case page and the work overview; access rules applied first
(the callers get the report from `reports.selectors.report_for`). Sealed text is opened for
display here, so the pages never open it themselves."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, allowed_actions, can, roles_on, shown_to
from integriteit.accounts.models import User
from integriteit.deadlines.services import Deadline, deadline
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.reports.sealing import sealer_for
from integriteit.reports.selectors import deadlines_of
from integriteit.ui.integrity import for_display, unreadable_note

from . import guards, people, routing, services, workflow
from .constants import ConflictCheckItem
from .forms import subject_label
from .models import (
    AftercareAction,
    CaseAssignment,
    ConflictCheck,
    Decision,
    DisadvantageSignal,
    Feedback,
    Finding,
    FollowUp,
    Hearing,
    Measure,
    OrderMeasure,
    Subject,
)
from .phases import PHASE_GUIDE, PhaseGuide


@dataclass
class StepOption:
    transition: workflow.Transition
    refusals: list[str]


@dataclass
class CasePage:
    report: Report
    roles: set[str]
    actions: set[str]
    guide: PhaseGuide
    steps: list[StepOption]
    progress: list[tuple[str, str, str]]


def _progress(report: Report) -> list[tuple[str, str, str]]:
    """(label, state, phase values) per step: done, current or to come."""
    current_index = next(
        i
        for i, step in enumerate(workflow.PHASE_ORDER)
        if report.phase in (step if isinstance(step, tuple) else (step,))
    )
    rows = []
    for index, step in enumerate(workflow.PHASE_ORDER):
        phases = step if isinstance(step, tuple) else (step,)
        if isinstance(step, tuple):
            label = (
                str(workflow.P(report.phase).label)
                if report.phase in phases
                else str(workflow.gettext_lazy("Follow-up"))
            )
        else:
            label = str(workflow.P(phases[0]).label)
        state = "done" if index < current_index else "current" if index == current_index else "todo"
        rows.append((label, state, ",".join(phases)))
    return rows


def case_page(user, report: Report) -> CasePage:
    return CasePage(
        report=report,
        roles=roles_on(user, report),
        actions={a.value for a in allowed_actions(user, report)},
        guide=PHASE_GUIDE[report.phase],
        steps=[
            StepOption(t, workflow.refusals(report, t.name)) for t in workflow.available(report)
        ],
        progress=_progress(report),
    )


@dataclass(frozen=True)
class ComplaintAbout:
    """What a complaint's case page says about the report it is about: its reference, whether
    this user may open it (then the page links to it; issue 10 defect 7), and whether the
    complaint is without handler (issue 10 defect 3)."""

    original: Report
    may_open: bool
    unhandled: bool


def complaint_about(user, report: Report) -> ComplaintAbout | None:
    """For a complaint about the handling: the original report, opened only through the access
    rules (a complaint's handlers are kept out of the original unless granted, so they see
    its reference, not a link). None for any other report."""
    original = report.concerns_report
    if original is None:
        return None
    may_open = can(user, Action.VIEW, original) and bool(shown_to(user, [original]))
    return ComplaintAbout(original, may_open, routing.unhandled_warning(report))


def deadlines(report: Report):
    return deadlines_of(report, timezone.now())


# --- What this user may do on this case now, and why not ---------------------------------------


@dataclass(frozen=True)
class ActionState:
    """One case action for one user now. `permitted`: the user's roles on the case allow it at
    all (integriteit.access); `allowed`: permitted and possible in the case's present state
    (integriteit.cases.guards); `reason`: why not, in the user's language, when not allowed."""

    key: str
    allowed: bool
    reason: str | None
    permitted: bool


def _permitted(action: guards.CaseAction, actions: set[str]) -> bool:
    # As guards.may_access, from the rights already resolved once for this page: the competent
    # authority commissions the investigation, so it may also assign (the investigator).
    if action == guards.CaseAction.ASSIGN and Action.DECIDE_FOLLOW_UP in actions:
        return True
    return guards.ACCESS[action] in actions


def available_actions(user, report: Report, actions: set[str] | None = None) -> list[ActionState]:
    """Every case action (guards.CaseAction) with whether this user may take it now and, if
    not, the domain's reason. `actions`: the user's access rights on the case, when the caller
    has resolved them already. The case page and the API both answer from this."""
    if actions is None:
        actions = {a.value for a in allowed_actions(user, report)}
    states = []
    for action in guards.CaseAction:
        if not _permitted(action, actions):
            # The same words as guards.refusals gives for a user without the role.
            not_yours = _("Your role on this case does not allow this.")
            states.append(ActionState(action.value, False, not_yours, False))
            continue
        reason = guards.why_not(action, report)
        states.append(ActionState(action.value, reason is None, reason, True))
    return states


# --- The records of the case page's panels -------------------------------------------------------


def active_assignments(report: Report) -> list[CaseAssignment]:
    return list(
        report.assignments.filter(ended_at__isnull=True)
        .select_related("user", "assigned_by")
        .order_by("role", "assigned_at")
    )


@dataclass
class AssessmentRecord:
    assessment: Any  # the Assessment, or None before intake recorded anything
    notes: str
    # (item, label, the check or None) for every item of the conflict-of-interest checklist
    checklist: list[tuple[ConflictCheckItem, str, ConflictCheck | None]]


def assessment_of(report: Report) -> AssessmentRecord:
    assessment = getattr(report, "assessment", None)
    checks = {c.item: c for c in report.conflict_checks.select_related("checked_by")}
    return AssessmentRecord(
        assessment,
        services.shown_on(assessment, "sealed_notes") if assessment else "",
        [(item, str(item.label), checks.get(item.value)) for item in ConflictCheckItem],
    )


@dataclass
class FollowUpRecord:
    follow_up: FollowUp | None
    reason: str = ""
    outcome: str = ""
    referral_organisation: str = ""


def follow_up_of(report: Report) -> FollowUpRecord:
    follow_up = getattr(report, "follow_up", None)
    if follow_up is None:
        return FollowUpRecord(None)
    return FollowUpRecord(
        follow_up,
        services.shown_on(follow_up, "sealed_reason"),
        services.shown_on(follow_up, "sealed_outcome"),
        services.shown_on(follow_up, "sealed_referral_organisation"),
    )


@dataclass
class SubjectRecord:
    subject: Subject
    person: User | None  # the staff member (opened from the sealed reference)
    label: str
    description: str
    informed_note: str
    hearings: list[tuple[Hearing, str, str]]  # (hearing, record, assisted by)
    measures: list[Measure]
    order_measures: list[OrderMeasure]


@dataclass
class OrderMeasureRecord:
    measure: OrderMeasure
    subject_label: str
    reason: str


@dataclass
class SubjectsRecord:
    """The subjects with their hearings and measures (RULES R10, R11, R13)."""

    subjects: list[SubjectRecord]
    measures: list[Measure]
    measures_without_subject: list[Measure]
    order_measures: list[OrderMeasureRecord]


def subjects_of(report: Report) -> SubjectsRecord:
    subjects = list(report.subjects.order_by("recorded_at", "pk"))
    named = people.people_of(subjects, "person")
    hearings = list(report.hearings.select_related("subject").order_by("held_on", "pk"))
    measures = list(report.measures.select_related("measure_type").order_by("imposed_on", "pk"))
    orders = list(report.order_measures.order_by("starts_on", "pk"))
    rows = []
    for subject in subjects:
        person = named.get(subject.pk)
        rows.append(
            SubjectRecord(
                subject,
                person,
                str(person) if person is not None else subject_label(subject),
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
        )
    labels = {row.subject.pk: row.label for row in rows}
    return SubjectsRecord(
        rows,
        measures,
        [m for m in measures if m.subject_id is None],
        [
            OrderMeasureRecord(
                o, labels.get(o.subject_id, ""), services.shown_on(o, "sealed_reason")
            )
            for o in orders
        ],
    )


@dataclass
class DecisionRecord:
    decision: Decision | None
    summary: str
    findings: list[Finding]


def decision_of(report: Report) -> DecisionRecord:
    decision = getattr(report, "decision", None)
    if decision is None:
        return DecisionRecord(None, "", [])
    return DecisionRecord(
        decision,
        services.shown_on(decision, "sealed_summary"),
        list(decision.findings.select_related("violation_type")),
    )


@dataclass
class FeedbackRecord:
    given: list[Feedback]
    interim_due: Deadline | None
    final_due: Deadline | None  # RULES R4, once the report is acknowledged


def feedback_of(report: Report) -> FeedbackRecord:
    interim_due = services.interim_feedback_due(report)
    now = timezone.now()
    return FeedbackRecord(
        list(report.feedback.select_related("given_by")),
        deadline("interim_feedback", interim_due, None, now) if interim_due else None,
        deadline("final_feedback", report.feedback_due, report.feedback_given_at, now)
        if report.feedback_due and report.acknowledged_at
        else None,
    )


@dataclass
class AftercareRecord:
    action: AftercareAction
    description: str
    cancel_reason: str


def aftercare_of(report: Report) -> list[AftercareRecord]:
    return [
        AftercareRecord(
            planned,
            services.shown_on(planned, "sealed_description"),
            services.shown_on(planned, "sealed_cancel_reason"),
        )
        for planned in report.aftercare_actions.select_related("planned_by", "finished_by")
    ]


def signals_of(report: Report) -> list[tuple[DisadvantageSignal, str]]:
    """The signals of disadvantage to the reporter (RULES R8), with their descriptions."""
    return [
        (signal, services.shown_on(signal, "sealed_description"))
        for signal in report.disadvantage_signals.select_related("recorded_by").order_by(
            "recorded_at"
        )
    ]


# --- The case history ----------------------------------------------------------------------------


@dataclass
class HistoryRow:
    change: Any  # the PhaseChange
    step: str  # the transition, as the process names it
    from_label: str
    to_label: str
    reason: str  # opened for display (reopening needs one)


def _open_phase_change_reason(change) -> str:
    # Sealed by workflow.advance under this record name.
    return sealer_for(change.report).open_text(
        f"phase_change:{change.pk}", "reason", bytes(change.sealed_reason)
    )


_shown_reason = for_display(_open_phase_change_reason, unreadable_note)


def history_of(report: Report) -> list[HistoryRow]:
    """Every step the case took, oldest first, with who took it and why (the case history)."""
    rows = []
    for change in report.phase_changes.select_related("actor", "report"):
        transition = workflow.TRANSITIONS.get(change.transition)
        rows.append(
            HistoryRow(
                change,
                str(transition.label) if transition else change.transition,
                str(Phase(change.from_phase).label),
                str(Phase(change.to_phase).label),
                _shown_reason(change) if change.sealed_reason else "",
            )
        )
    return rows
