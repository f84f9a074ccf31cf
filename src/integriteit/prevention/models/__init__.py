"""The prevention module's models, one file per concept (SYSTEM.md module 7): the register of side
activities and financial interests (R16) and the integrity risk analysis with its policy cycle."""

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

__all__ = [
    "Decision",
    "DeclarationStatus",
    "DesignatedFunction",
    "FinancialInterest",
    "FunctionAssignment",
    "InterestKind",
    "OathKind",
    "OathRecord",
    "ReconfirmationReminder",
    "SideActivity",
    "SideActivityVersion",
]
