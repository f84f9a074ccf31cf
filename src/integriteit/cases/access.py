"""Need to know for case handling, registered with `access.rules` from `apps.py` (ADR 0002).

What each role on a case may do (seed 002 roles per phase; docs/roles.md has the table), where
a user's roles on single cases come from (their sealed case assignments, ADR 0012), and who
reads the aggregated process evaluation.
"""

import uuid

from django.db.models import QuerySet

from integriteit.access.rules import (
    SEAL_MISMATCH,
    Action,
    intact_roles,
    is_verified_staff,
    register_assignment_source,
    register_case_role,
)
from integriteit.access.seals import case_assignment_intact
from integriteit.accounts.constants import Role
from integriteit.audit.services import integrity_alert
from integriteit.organisations.models import Organisation

from .constants import CaseRole
from .models import CaseAssignment

# The competent authority decides on follow-up, the outcome and measures (SYSTEM.md roles;
# seed 002); the coordinator prepares and advises.
HANDLING = frozenset(Action) - {Action.DECIDE_FOLLOW_UP, Action.DECIDE, Action.MEASURE}

# What each role on a case may do. "coordinator" is the organisation role; the others are
# assignments on the case (CaseRole values).
ACTIONS_BY_CASE_ROLE: dict[str, frozenset[Action]] = {
    "coordinator": HANDLING,
    CaseRole.HANDLER: HANDLING,
    CaseRole.PROCESS_GUIDE: frozenset(
        {Action.VIEW, Action.MESSAGE, Action.FEEDBACK, Action.AFTERCARE, Action.SIGNAL}
    ),
    CaseRole.INVESTIGATOR: frozenset(
        {Action.VIEW, Action.DOWNLOAD, Action.RECORD_OUTCOME, Action.RECORD_SUBJECT}
    ),
    CaseRole.COMPETENT_AUTHORITY: frozenset(
        {
            Action.VIEW,
            Action.DOWNLOAD,
            Action.DECIDE_FOLLOW_UP,
            Action.RECORD_OUTCOME,
            Action.DECIDE,
            Action.MEASURE,
            Action.SIGNAL,
        }
    ),
}


def active_assignments(user) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(user=user, ended_at__isnull=True)


def intact_assignments(user) -> dict[uuid.UUID, set[str]]:
    """The case roles of the user's active assignments whose seal holds, per report; an
    inserted or revived assignment is dropped and alerted."""
    roles: dict[uuid.UUID, set[str]] = {}
    for pk, report_id, role, seal in (
        active_assignments(user).order_by("pk").values_list("pk", "report_id", "role", "seal")
    ):
        if case_assignment_intact(seal, report_id, user.pk, role, ended=False):
            roles.setdefault(report_id, set()).add(role)
        else:
            integrity_alert("case_assignment", pk, SEAL_MISMATCH)
    return roles


def register() -> None:
    """From CasesConfig.ready()."""
    for role, actions in ACTIONS_BY_CASE_ROLE.items():
        register_case_role(str(role), actions)
    register_assignment_source(intact_assignments)


def organisations_for_process_evaluation(user) -> QuerySet[Organisation]:
    """Aggregated evaluation answers: coordinators for their organisation, the government-wide
    coordinator for every organisation under BZK coordination. Never single answers."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    roles = intact_roles(user, [Role.BZK_COORDINATOR, Role.COORDINATOR])
    if any(role == Role.BZK_COORDINATOR for _organisation, role in roles):
        return Organisation.objects.filter(outside_bzk_coordination=False)
    return Organisation.objects.filter(pk__in={organisation for organisation, _role in roles})


def holds_role(user, role: str, case_role: str | None = None) -> bool:
    """Whether the user holds `role` in an organisation or `case_role` on a case, counting only
    rows whose seal holds (for where she lands, ui.landing)."""
    if intact_roles(user, [role]):
        return True
    return case_role is not None and any(
        case_role in roles for roles in intact_assignments(user).values()
    )
