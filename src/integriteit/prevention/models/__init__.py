"""The prevention module's models, one file per concept (SYSTEM.md module 7): the register of side
activities and financial interests (R16) and the integrity risk analysis with its policy cycle."""

from .risks import (  # noqa: F401
    Acceptance,
    Analysis,
    MatrixCell,
    MatrixLevel,
    MatrixStep,
    Measure,
    Process,
    Review,
    Risk,
    RiskMatrix,
    RiskReminder,
    Score,
    Snapshot,
)
