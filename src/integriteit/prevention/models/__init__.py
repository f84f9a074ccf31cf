"""The prevention module's models, one file per concept (SYSTEM.md module 7): the register of side
activities and financial interests (R16), the integrity risk analysis with its policy cycle, and
the integrity coordinator's position."""

from .declarations import (
    Decision,
    DeclarationStatus,
    DesignatedFunction,
    FinancialInterest,
    FunctionAssignment,
    InterestKind,
    OathKind,
    OathRecord,
    ReconfirmationReminder,
    SideActivity,
    SideActivityVersion,
)
from .policy import (
    GoalEvaluation,
    GoalResult,
    IntegrityPolicy,
    PolicyAction,
    PolicyEvaluation,
    PolicyGoal,
    SystemFigure,
)
from .position import CoordinatorPosition, Placement

__all__ = [
    "CoordinatorPosition",
    "Decision",
    "DeclarationStatus",
    "DesignatedFunction",
    "FinancialInterest",
    "FunctionAssignment",
    "GoalEvaluation",
    "GoalResult",
    "IntegrityPolicy",
    "InterestKind",
    "OathKind",
    "OathRecord",
    "Placement",
    "PolicyAction",
    "PolicyEvaluation",
    "PolicyGoal",
    "ReconfirmationReminder",
    "SideActivity",
    "SideActivityVersion",
    "SystemFigure",
]
