"""The phase panel at the top of the case page: the steps of the process from here, what the
current user may and must do now and by when, and what is not possible now and why (the
domain's reasons, from `selectors.available_actions`)."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.access.rules import Action
from integriteit.deadlines.services import Deadline, deadline
from integriteit.reports.constants import Phase
from integriteit.ui import dates

from ... import guards, selectors, workflow
from ...constants import CaseRole
from .registry import PanelInput, section_url

ROUTE_STEPS = set(workflow.ROUTE_TRANSITION.values())

# Which case action each step is (cases.guards), and where its form is on the page (the simple
# steps have a button in the phase panel itself).
STEP_ACTION: dict[str, guards.CaseAction] = {
    "acknowledge": guards.CaseAction.ACKNOWLEDGE,
    "start_assessment": guards.CaseAction.START_ASSESSMENT,
    "complete_assessment": guards.CaseAction.COMPLETE_ASSESSMENT,
    **{name: guards.CaseAction.DECIDE_FOLLOW_UP for name in ROUTE_STEPS},
    "complete_investigation": guards.CaseAction.COMPLETE_INVESTIGATION,
    "complete_follow_up": guards.CaseAction.COMPLETE_FOLLOW_UP,
    "record_decision": guards.CaseAction.COMPLETE_DECISION,
    "give_final_feedback": guards.CaseAction.GIVE_FINAL_FEEDBACK,
    "complete_aftercare": guards.CaseAction.COMPLETE_AFTERCARE,
    "close": guards.CaseAction.CLOSE,
    "reopen": guards.CaseAction.REOPEN,
}
STEP_ANCHOR = {
    "acknowledge": "step-acknowledge",
    "give_final_feedback": "step-give_final_feedback",
    "complete_aftercare": "step-complete_aftercare",
    "reopen": "step-reopen",
    **{name: "step-follow-up" for name in ROUTE_STEPS},
}

# What each access right means, in the words of the page ("you may ...").
ACCESS_LABELS = {
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

A = guards.CaseAction
# The case actions with a form or button of their own on the panels, named as on the page. The
# steps are listed with their refusals under "Next steps"; these are listed with the domain's
# reason when they are not possible now.
RECORD_LABELS = {
    A.SEND_MESSAGE: gettext_lazy("Write to the reporter"),
    A.ASSIGN: gettext_lazy("Assign a person"),
    A.END_ASSIGNMENT: gettext_lazy("End an assignment"),
    A.RECORD_ASSESSMENT: gettext_lazy("Record the assessment"),
    A.CHECK_CONFLICT_ITEM: gettext_lazy("Check the conflict-of-interest checklist"),
    A.RECORD_OUTCOME: gettext_lazy("Record the outcome"),
    A.RECORD_SUBJECT: gettext_lazy("Record a subject"),
    A.RECORD_SUBJECT_INFORMED: gettext_lazy("Record when and how the subject was informed"),
    A.GIVE_INTERIM_FEEDBACK: gettext_lazy("Give interim feedback"),
    A.PLAN_AFTERCARE: gettext_lazy("Plan aftercare"),
    A.FINISH_AFTERCARE: gettext_lazy("Finish or cancel an aftercare action"),
    A.RECORD_DISADVANTAGE: gettext_lazy("Record a signal"),
    A.HANDLE_DISADVANTAGE: gettext_lazy("Mark a signal as handled"),
    A.RECORD_DECISION: gettext_lazy("Record the decision"),
    A.RECORD_HEARING: gettext_lazy("Record a hearing (RULES R10)"),
    A.IMPOSE_MEASURE: gettext_lazy("Impose a measure"),
    A.IMPOSE_ORDER_MEASURE: gettext_lazy("Impose an order measure"),
    A.LIFT_ORDER_MEASURE: gettext_lazy("Lift an order measure"),
}

ROLE_LABELS = {
    "coordinator": gettext_lazy("Integrity coordinator of the organisation"),
    **{role.value: role.label for role in CaseRole},
}

# Subjects are informed once the follow-up is decided, until the decision (seed 002).
INFORM_PHASES = guards.ROUTE_PHASES | {Phase.DECISION}


@dataclass
class StepRow:
    name: str
    label: Any
    refusals: list[str]
    mine: bool
    simple: bool
    anchor: str
    href: str = ""  # the anchor on the page, in its section
    irreversible: bool = False  # its button asks for a confirmation (guards.IRREVERSIBLE)


@dataclass
class Todo:
    """One thing the current user may or must do now; `deadline` says by when, if anything."""

    text: str
    anchor: str
    deadline: Deadline | None = None
    blocked: list[str] = field(default_factory=list)
    urgent: bool = False
    is_step: bool = False
    href: str = ""  # the anchor on the page, in its section


@dataclass
class NotNow:
    label: Any
    reason: str


def step_rows(page: PanelInput, simple_steps: Collection[str]) -> list[StepRow]:
    rows: list[StepRow] = []
    route_row_added = False
    for transition in workflow.available(page.report):
        name = transition.name
        mine = page.permitted(STEP_ACTION[name])
        if name in ROUTE_STEPS:
            # The four routes are one decision with one form: show them as one step.
            if not route_row_added:
                route_row_added = True
                rows.append(
                    StepRow(name, _("Decide on follow-up"), [], mine, False, STEP_ANCHOR[name])
                )
            continue
        rows.append(
            StepRow(
                name,
                transition.label,
                workflow.refusals(page.report, name),
                mine,
                name in simple_steps,
                STEP_ANCHOR.get(name, "next-steps"),
                irreversible=STEP_ACTION[name] in guards.IRREVERSIBLE,
            )
        )
    for row in rows:
        row.href = section_url(page.report, row.anchor)
    return rows


def _signal_todos(page: PanelInput) -> list[Todo]:
    if not page.permitted(A.HANDLE_DISADVANTAGE):
        return []
    return [
        Todo(
            _("Act on the signal of disadvantage recorded on %(date)s (RULES R8).")
            % {"date": dates.day(signal.recorded_at)},
            "disadvantage",
            urgent=True,
        )
        for signal, _description in page.read(selectors.signals_of)
        if signal.handled_at is None
    ]


def _step_todos(page: PanelInput, steps: list[StepRow], now) -> list[Todo]:
    report = page.report
    items = []
    for step in steps:
        if not step.mine:
            continue
        due = None
        if step.name == "acknowledge" and report.acknowledgement_due:
            due = deadline("acknowledgement", report.acknowledgement_due, None, now)
        elif step.name == "give_final_feedback" and report.feedback_due:
            due = deadline("final_feedback", report.feedback_due, None, now)
        items.append(Todo(str(step.label), step.anchor, due, step.refusals, is_step=True))
    return items


def _subject_todos(page: PanelInput) -> list[Todo]:
    subjects = page.read(selectors.subjects_of).subjects
    items = []
    if page.permitted(A.RECORD_SUBJECT_INFORMED) and page.report.phase in INFORM_PHASES:
        items += [
            Todo(
                _("Inform %(subject)s and record when and how.") % {"subject": row.label},
                "subjects",
            )
            for row in subjects
            if row.subject.informed_at is None
        ]
    if page.allowed(A.RECORD_HEARING):
        items += [
            Todo(
                _("Hear %(subject)s before any measure (RULES R10).") % {"subject": row.label},
                "hearings",
            )
            for row in subjects
            if not row.hearings
        ]
    return items


def _measure_todos(page: PanelInput) -> list[Todo]:
    """A recorded decision states its measures, if only "no measure", before the case closes
    (RULES R13; issue 10 defect 6)."""
    decision = page.read(selectors.decision_of)
    if decision.decision is None or not page.allowed(A.IMPOSE_MEASURE):
        return []
    if page.read(selectors.subjects_of).measures:
        return []
    return [
        Todo(_("Record the measures of the decision, or “no measure” (RULES R13)."), "measures")
    ]


def _feedback_todos(page: PanelInput, now) -> list[Todo]:
    report = page.report
    if not page.permitted(A.GIVE_INTERIM_FEEDBACK) or report.phase == Phase.FEEDBACK:
        return []
    items = []
    interim = page.read(selectors.feedback_of).interim_due
    if interim is not None:
        items.append(
            Todo(
                _("Give interim feedback to the reporter."),
                "feedback",
                deadline("interim_feedback", interim.due, None, now),
            )
        )
    if report.acknowledged_at and report.feedback_given_at is None and report.feedback_due:
        items.append(
            Todo(
                _("Final feedback to the reporter within the legal term (RULES R4)."),
                "feedback",
                deadline("final_feedback", report.feedback_due, None, now),
            )
        )
    return items


def _aftercare_todos(page: PanelInput, now) -> list[Todo]:
    if not page.permitted(A.FINISH_AFTERCARE):
        return []
    return [
        Todo(
            _("Aftercare for %(audience)s: %(description)s")
            % {
                "audience": care.action.get_audience_display().lower(),
                "description": care.description,
            },
            "aftercare",
            deadline("aftercare", care.action.due_on, None, now),
        )
        for care in page.read(selectors.aftercare_of)
        if care.action.is_open
    ]


FAR = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def todo(page: PanelInput, steps: list[StepRow]) -> list[Todo]:
    now = timezone.now()
    items = (
        _signal_todos(page)
        + _step_todos(page, steps, now)
        + _subject_todos(page)
        + _measure_todos(page)
        + _feedback_todos(page, now)
        + _aftercare_todos(page, now)
    )
    # Urgent signals first, then this phase's steps in their order, then the rest by due date.
    step_order = {id(t): i for i, t in enumerate(items) if t.is_step}
    items.sort(
        key=lambda t: (
            not t.urgent,
            not t.is_step,
            step_order.get(id(t), 0),
            t.deadline.due if t.deadline else FAR,
        )
    )
    for item in items:
        item.href = section_url(page.report, item.anchor)
    return items


def not_possible_now(page: PanelInput) -> list[NotNow]:
    """The records the user's roles allow but the case does not take now, with the reason."""
    return [
        NotNow(label, page.states[key].reason or "")
        for key, label in RECORD_LABELS.items()
        if page.permitted(key) and not page.allowed(key)
    ]


def phase_panel(page: PanelInput, simple_steps: Collection[str]) -> dict[str, Any]:
    steps = step_rows(page, simple_steps)
    signals = page.read(selectors.signals_of)
    return {
        "step_rows": steps,
        "todo": todo(page, steps),
        "unhandled_signals": sum(1 for signal, _d in signals if signal.handled_at is None),
        "role_labels": [ROLE_LABELS.get(role, role) for role in sorted(page.roles)],
        "may_do": [
            ACCESS_LABELS[Action(a)] for a in Action if a in page.actions and a in ACCESS_LABELS
        ],
        "not_now": not_possible_now(page),
    }
