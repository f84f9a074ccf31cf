"""All writes of case handling, one transaction each, with preconditions, audit and messages.

One module per part of the process (the sections of the former services.py); this package
exports their public functions, so callers write `from integriteit.cases import services`.
Phase changes go through integriteit.cases.workflow.advance; when an action is possible through
integriteit.cases.guards; access through integriteit.access.
"""

from .aftercare import (
    case_coordinators,
    complete_aftercare,
    finish_aftercare,
    handle_disadvantage,
    plan_aftercare,
    record_disadvantage,
)
from .assessment import (
    check_conflict_item,
    complete_assessment,
    record_assessment,
    start_assessment,
)
from .assignments import (
    assign,
    assignable,
    assignment_refusal_codes,
    assignment_refusals,
    candidates,
    declare_conflict,
    declared_conflicts_of,
    end_assignment,
    subject_people,
    withdraw_conflict,
)
from .base import CaseError, TransitionRefused, open_on, seal_on, shown_on
from .closing import answer_evaluation, close, file_complaint, reopen
from .decision import (
    complete_decision,
    impose_measure,
    impose_order_measure,
    lift_order_measure,
    record_decision,
    record_hearing,
)
from .feedback import give_final_feedback, give_interim_feedback, interim_feedback_due
from .follow_up import (
    complete_follow_up,
    complete_investigation,
    decide_follow_up,
    record_outcome,
)
from .queue import (
    delete_queue_filter,
    queue_filters,
    record_queue_export,
    save_queue_filter,
)
from .receipt import acknowledge, send_message
from .subjects import record_subject, record_subject_informed

__all__ = [
    "CaseError",
    "TransitionRefused",
    "acknowledge",
    "answer_evaluation",
    "assign",
    "assignable",
    "assignment_refusal_codes",
    "assignment_refusals",
    "candidates",
    "case_coordinators",
    "check_conflict_item",
    "close",
    "complete_aftercare",
    "complete_assessment",
    "complete_decision",
    "complete_follow_up",
    "complete_investigation",
    "decide_follow_up",
    "declare_conflict",
    "declared_conflicts_of",
    "delete_queue_filter",
    "end_assignment",
    "file_complaint",
    "finish_aftercare",
    "give_final_feedback",
    "give_interim_feedback",
    "handle_disadvantage",
    "impose_measure",
    "impose_order_measure",
    "interim_feedback_due",
    "lift_order_measure",
    "open_on",
    "plan_aftercare",
    "queue_filters",
    "record_assessment",
    "record_decision",
    "record_disadvantage",
    "record_hearing",
    "record_outcome",
    "record_queue_export",
    "record_subject",
    "record_subject_informed",
    "reopen",
    "save_queue_filter",
    "seal_on",
    "send_message",
    "shown_on",
    "start_assessment",
    "subject_people",
    "withdraw_conflict",
]
