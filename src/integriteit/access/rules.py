"""Need to know: the one place that decides who may see and do what with a report.

Every query that returns report data starts from `reports_visible_to`; every action asks `can`.
Rules (SYSTEM.md "Need to know"; RULES R5, R7):
- A person sees a report only through a role on it. For now that is the integrity coordinator of
  the organisation concerned; issue 3 adds the roles on a case.
- A person named in a report, and the line above them when the reporter asked, is excluded:
  they get no access through any role, and nothing tells them the report exists.
- Administrators and auditors never read contents; auditors read the audit trail.
- Staff act only after the second factor (a password alone opens nothing).
"""

from enum import StrEnum

from django.db.models import QuerySet

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report


class Action(StrEnum):
    VIEW = "view"
    VIEW_IDENTITY = "view_identity"
    DOWNLOAD = "download"
    ACKNOWLEDGE = "acknowledge"
    MESSAGE = "message"
    CLASSIFY = "classify"


# Which role on a report may do which action. RULES R7: the reporter's identity is known to the
# staff authorised to receive and follow up the report, which is the coordinator.
ACTIONS_BY_ROLE: dict[Role, frozenset[Action]] = {
    Role.COORDINATOR: frozenset(Action),
}

# Who may register a report received outside the online form (RULES R1–R2).
REGISTERING_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.CONFIDENTIAL_ADVISER)


def is_verified_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_verified())


def _organisations_with_role(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role__in=roles).values("organisation")
    )


def reports_visible_to(user) -> QuerySet[Report]:
    if not is_verified_staff(user):
        return Report.objects.none()
    return (
        Report.objects.submitted()
        .filter(organisation__in=_organisations_with_role(user, list(ACTIONS_BY_ROLE)))
        .exclude(exclusions__person_tag=person_tag(user.pk))
    )


def _roles_on(user, report: Report) -> set[Role]:
    if not reports_visible_to(user).filter(pk=report.pk).exists():
        return set()
    held = RoleAssignment.objects.filter(
        user=user, organisation_id=report.organisation_id
    ).values_list("role", flat=True)
    return {Role(role) for role in held if Role(role) in ACTIONS_BY_ROLE}


def allowed_actions(user, report: Report) -> frozenset[Action]:
    actions: set[Action] = set()
    for role in _roles_on(user, report):
        actions |= ACTIONS_BY_ROLE[role]
    return frozenset(actions)


def can(user, action: Action, report: Report) -> bool:
    return action in allowed_actions(user, report)


def organisations_user_can_register_for(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return _organisations_with_role(user, REGISTERING_ROLES).filter(is_active=True)


def can_read_audit_trail(user) -> bool:
    return (
        is_verified_staff(user)
        and RoleAssignment.objects.filter(user=user, role=Role.AUDITOR).exists()
    )


def is_staff_member(user) -> bool:
    """Whether the user has any role that gives a workspace (the staff start page)."""
    return is_verified_staff(user) and RoleAssignment.objects.filter(user=user).exists()
