"""The prevention module's models, one file per concept (SYSTEM.md module 7): the register of side
activities and financial interests (R16), the integrity risk analysis with its policy cycle, and
the integrity coordinator's position."""

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
    "GoalEvaluation",
    "GoalResult",
    "IntegrityPolicy",
    "Placement",
    "PolicyAction",
    "PolicyEvaluation",
    "PolicyGoal",
    "SystemFigure",
]
