"""The prevention module's models, one file per concept (SYSTEM.md module 7): the register of side
activities and financial interests (R16), the integrity risk analysis with its policy cycle, and
the integrity coordinator's position."""

from .position import CoordinatorPosition, Placement

__all__ = ["CoordinatorPosition", "Placement"]
