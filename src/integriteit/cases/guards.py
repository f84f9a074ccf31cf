"""When each case action is possible: the phase and state rules of case handling, in one place.

One guard per action in `CaseAction`. A guard reads the case and returns the reasons the action
is not possible now, in the user's language; an empty list means it is allowed. The services
call `refuse_unless_allowed` before they write (so a closed case accepts no hearing or measure),
and the pages ask `why_not` what the current user may do and why not, so the page never shows
a form the service would refuse. Who may act at all is the access rules' decision
(integriteit.access); `why_not` with a user adds it, the services check it themselves first
(PermissionDenied). Rules on one record of the case (an aftercare action already finished, a
signal already handled) stay in the service that writes that record.

The steps of the process are the workflow's transitions: their guard is `workflow.refusals`.
"""

from collections.abc import Callable
from enum import StrEnum

from django.utils.translation import gettext as _

from integriteit.access.rules import Action, can
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from . import workflow

P = Phase

ROUTE_PHASES = frozenset(workflow.ROUTE_PHASE.values())
# Order measures are taken while the facts are established (RULES R11: during an
# investigation; the competent authority may take them from the follow-up decision on).
ORDER_MEASURE_PHASES = frozenset({P.FOLLOW_UP_DECISION, P.INVESTIGATION, P.DECISION})
# Hearings and measures are recorded from the phase "Decision and measures" until the case is
# closed (issue 10 defect 6): the disciplinary procedure of cao Rijk ch. 15 (hearing first, RULES
# R10) often ends after the reporter's feedback, which must not wait for it (RULES R4); closing
# requires the measures or "no measure" once a decision is recorded (workflow, RULES R13).
MEASURE_PHASES = frozenset({P.DECISION, P.FEEDBACK, P.AFTERCARE, P.EVALUATION})
# Aftercare is planned from the acknowledgement until the reporter is invited to evaluate.
AFTERCARE_PLANNING_PHASES = frozenset(Phase) - {P.RECEIVED, P.EVALUATION, P.CLOSED}


class CaseAction(StrEnum):
    """Every action on a case that a service carries out for a staff member."""

    ACKNOWLEDGE = "acknowledge"
    SEND_MESSAGE = "send_message"
    ASSIGN = "assign"
    END_ASSIGNMENT = "end_assignment"
    START_ASSESSMENT = "start_assessment"
    RECORD_ASSESSMENT = "record_assessment"
    CHECK_CONFLICT_ITEM = "check_conflict_item"
    COMPLETE_ASSESSMENT = "complete_assessment"
    DECIDE_FOLLOW_UP = "decide_follow_up"
    RECORD_OUTCOME = "record_outcome"
    COMPLETE_INVESTIGATION = "complete_investigation"
    COMPLETE_FOLLOW_UP = "complete_follow_up"
    RECORD_SUBJECT = "record_subject"
    RECORD_SUBJECT_INFORMED = "record_subject_informed"
    GIVE_INTERIM_FEEDBACK = "give_interim_feedback"
    GIVE_FINAL_FEEDBACK = "give_final_feedback"
    PLAN_AFTERCARE = "plan_aftercare"
    FINISH_AFTERCARE = "finish_aftercare"
    COMPLETE_AFTERCARE = "complete_aftercare"
    RECORD_DISADVANTAGE = "record_disadvantage"
    HANDLE_DISADVANTAGE = "handle_disadvantage"
    RECORD_DECISION = "record_decision"
    COMPLETE_DECISION = "complete_decision"
    RECORD_HEARING = "record_hearing"
    IMPOSE_MEASURE = "impose_measure"
    IMPOSE_ORDER_MEASURE = "impose_order_measure"
    LIFT_ORDER_MEASURE = "lift_order_measure"
    CLOSE = "close"
    REOPEN = "reopen"


CASE_ACTIONS = frozenset(CaseAction)

A = CaseAction

# The actions that cannot be undone, in one place: the page asks "I understand this cannot be
# undone" before each and the views refuse a post without it (cases.views.actions.confirmed).
# A step that freezes what came before it (the process has no way back except reopening a
# closed case), a measure, the final feedback to the reporter, and closing.
IRREVERSIBLE: frozenset[CaseAction] = frozenset(
    {
        A.COMPLETE_ASSESSMENT,
        A.DECIDE_FOLLOW_UP,
        A.COMPLETE_INVESTIGATION,
        A.COMPLETE_FOLLOW_UP,
        A.COMPLETE_DECISION,
        A.IMPOSE_MEASURE,
        A.GIVE_FINAL_FEEDBACK,
        A.COMPLETE_AFTERCARE,
        A.CLOSE,
    }
)

# The access right each action needs (integriteit.access.rules).
ACCESS: dict[CaseAction, Action] = {
    A.ACKNOWLEDGE: Action.ACKNOWLEDGE,
    A.SEND_MESSAGE: Action.MESSAGE,
    A.ASSIGN: Action.ASSIGN,
    A.END_ASSIGNMENT: Action.ASSIGN,
    A.START_ASSESSMENT: Action.ASSESS,
    A.RECORD_ASSESSMENT: Action.ASSESS,
    A.CHECK_CONFLICT_ITEM: Action.ASSESS,
    A.COMPLETE_ASSESSMENT: Action.ASSESS,
    A.DECIDE_FOLLOW_UP: Action.DECIDE_FOLLOW_UP,
    A.RECORD_OUTCOME: Action.RECORD_OUTCOME,
    A.COMPLETE_INVESTIGATION: Action.RECORD_OUTCOME,
    A.COMPLETE_FOLLOW_UP: Action.RECORD_OUTCOME,
    A.RECORD_SUBJECT: Action.RECORD_SUBJECT,
    A.RECORD_SUBJECT_INFORMED: Action.RECORD_SUBJECT,
    A.GIVE_INTERIM_FEEDBACK: Action.FEEDBACK,
    A.GIVE_FINAL_FEEDBACK: Action.FEEDBACK,
    A.PLAN_AFTERCARE: Action.AFTERCARE,
    A.FINISH_AFTERCARE: Action.AFTERCARE,
    A.COMPLETE_AFTERCARE: Action.AFTERCARE,
    A.RECORD_DISADVANTAGE: Action.SIGNAL,
    A.HANDLE_DISADVANTAGE: Action.SIGNAL,
    A.RECORD_DECISION: Action.DECIDE,
    A.COMPLETE_DECISION: Action.DECIDE,
    A.RECORD_HEARING: Action.MEASURE,
    A.IMPOSE_MEASURE: Action.MEASURE,
    A.IMPOSE_ORDER_MEASURE: Action.MEASURE,
    A.LIFT_ORDER_MEASURE: Action.MEASURE,
    A.CLOSE: Action.CLOSE,
    A.REOPEN: Action.REOPEN,
}


def may_access(user, action: CaseAction, report: Report) -> bool:
    """Whether the user's roles on the case allow the action at all. The competent authority
    commissions the investigation, so it may also assign (the investigator)."""
    if action == A.ASSIGN and can(user, Action.DECIDE_FOLLOW_UP, report):
        return True
    return can(user, ACCESS[action], report)


def _wrong_phase(report: Report) -> list[str]:
    return [
        _("This step is not possible in the phase “%(phase)s”.")
        % {"phase": Phase(report.phase).label}
    ]


def _submitted(report: Report) -> list[str]:
    return [] if report.is_submitted else [_("This report has not been submitted.")]


def _open(report: Report) -> list[str]:
    """A closed case takes no new records until it is reopened."""
    if reasons := _submitted(report):
        return reasons
    if report.phase == P.CLOSED:
        return [_("The case is closed. Reopen it first.")]
    return []


def _in_phases(report: Report, phases, reason: str | None = None) -> list[str]:
    if reasons := _open(report):
        return reasons
    if report.phase not in phases:
        return [reason] if reason else _wrong_phase(report)
    return []


def _step(name: str) -> Callable[[Report], list[str]]:
    return lambda report: workflow.refusals(report, name)


def _acknowledge(report: Report) -> list[str]:
    if report.acknowledged_at is not None:
        return [_("This report has already been acknowledged.")]
    return workflow.refusals(report, "acknowledge")


def _record_assessment(report: Report) -> list[str]:
    return _in_phases(
        report, {P.ASSESSMENT}, _("The assessment can only be changed during intake.")
    )


def _record_outcome(report: Report) -> list[str]:
    if reasons := _open(report):
        return reasons
    if getattr(report, "follow_up", None) is None:
        return [_("There is no follow-up decision yet.")]
    return _in_phases(report, ROUTE_PHASES, _("The outcome is recorded during the follow-up."))


def _give_interim_feedback(report: Report) -> list[str]:
    if reasons := _open(report):
        return reasons
    if report.acknowledged_at is None:
        return [_("Acknowledge the report first.")]
    if report.feedback_given_at is not None:
        return [_("The final feedback has already been given.")]
    return []


def _record_decision(report: Report) -> list[str]:
    return _in_phases(
        report,
        {P.DECISION},
        _("A decision is recorded in the phase “Decision and measures”."),
    )


def _record_hearing(report: Report) -> list[str]:
    # RULES R10: the hearing precedes the measures, which the competent authority decides on.
    return _in_phases(
        report,
        MEASURE_PHASES,
        _("Hearings are recorded from the phase “Decision and measures” until the case is closed."),
    )


def _impose_measure(report: Report) -> list[str]:
    if reasons := _in_phases(
        report,
        MEASURE_PHASES,
        _("Measures are imposed from the phase “Decision and measures” until the case is closed."),
    ):
        return reasons
    if getattr(report, "decision", None) is None:
        return [_("Record the decision before imposing measures.")]
    return []


def _impose_order_measure(report: Report) -> list[str]:
    return _in_phases(
        report,
        ORDER_MEASURE_PHASES,
        _("Order measures are taken from the decision on follow-up until the decision."),
    )


def _reopen(report: Report) -> list[str]:
    if report.personal_data_removed_at is not None:
        return [_("The personal data of this case has been removed.")]
    return workflow.refusals(report, "reopen")


GUARDS: dict[CaseAction, Callable[[Report], list[str]]] = {
    A.ACKNOWLEDGE: _acknowledge,
    # The mailbox stays open after closure: the reporter may still write, and is answered.
    A.SEND_MESSAGE: _submitted,
    A.ASSIGN: _open,
    A.END_ASSIGNMENT: _open,
    A.START_ASSESSMENT: _step("start_assessment"),
    A.RECORD_ASSESSMENT: _record_assessment,
    A.CHECK_CONFLICT_ITEM: _record_assessment,
    A.COMPLETE_ASSESSMENT: _step("complete_assessment"),
    # The follow-up record is what the route's transition needs, so only the phase is checked
    # before it is written; `workflow.advance` checks the rest.
    A.DECIDE_FOLLOW_UP: lambda report: _in_phases(report, {P.FOLLOW_UP_DECISION}),
    A.RECORD_OUTCOME: _record_outcome,
    A.COMPLETE_INVESTIGATION: _step("complete_investigation"),
    A.COMPLETE_FOLLOW_UP: _step("complete_follow_up"),
    A.RECORD_SUBJECT: _open,
    A.RECORD_SUBJECT_INFORMED: _open,
    A.GIVE_INTERIM_FEEDBACK: _give_interim_feedback,
    A.GIVE_FINAL_FEEDBACK: _step("give_final_feedback"),
    A.PLAN_AFTERCARE: lambda report: _in_phases(report, AFTERCARE_PLANNING_PHASES),
    A.FINISH_AFTERCARE: _open,
    A.COMPLETE_AFTERCARE: _step("complete_aftercare"),
    A.RECORD_DISADVANTAGE: _open,
    A.HANDLE_DISADVANTAGE: _open,
    A.RECORD_DECISION: _record_decision,
    A.COMPLETE_DECISION: _step("record_decision"),
    A.RECORD_HEARING: _record_hearing,
    A.IMPOSE_MEASURE: _impose_measure,
    A.IMPOSE_ORDER_MEASURE: _impose_order_measure,
    A.LIFT_ORDER_MEASURE: _open,
    A.CLOSE: _step("close"),
    A.REOPEN: _reopen,
}


def refusals(action: str, report: Report, user=None) -> list[str]:
    """Every reason the action is not possible now; empty when it is. With a user, the access
    rules come first."""
    action = CaseAction(action)
    if user is not None and not may_access(user, action, report):
        return [_("Your role on this case does not allow this.")]
    return GUARDS[action](report)


def why_not(action: str, report: Report, user=None) -> str | None:
    """None when the action is possible now (for this user, if given), else why not."""
    reasons = refusals(action, report, user)
    return " ".join(str(reason) for reason in reasons) if reasons else None


def refuse_unless_allowed(action: str, report: Report) -> None:
    """For the services, before they write: raise the refusal with its reasons."""
    if reasons := refusals(action, report):
        raise workflow.TransitionRefused(reasons)
