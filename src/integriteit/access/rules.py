"""Need to know: the one place that decides who may see and do what with a report or case.

Every query that returns report data starts from `reports_visible_to`; every action asks `can`.
Rules (SYSTEM.md "Need to know"; RULES R5, R7; seed 002 roles per phase):
- A person sees a report only through a role on it: integrity coordinator of the organisation
  concerned, or an assignment on the case (handler, process guide, investigator, competent
  authority). Process guides and investigators see only the cases they are assigned to.
- A person named in a report, and the line above them when the reporter asked, is excluded:
  no role gives them access, and nothing tells them the report exists. The same holds for the
  handlers of a complaint towards the original case, and for the original case's people
  towards the complaint.
- The reporter's identity is read only by the coordinator and handlers (R7).
- Administrators and auditors never read contents; auditors read the audit trail.
- Staff act only after the second factor (a password alone opens nothing).
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

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
    ASSESS = "assess"
    ASSIGN = "assign"
    DECIDE_FOLLOW_UP = "decide_follow_up"
    RECORD_OUTCOME = "record_outcome"
    RECORD_SUBJECT = "record_subject"
    FEEDBACK = "feedback"
    AFTERCARE = "aftercare"
    SIGNAL = "signal"
    DECIDE = "decide"
    MEASURE = "measure"
    CLOSE = "close"
    REOPEN = "reopen"


# The competent authority decides on follow-up, the outcome and measures (SYSTEM.md roles;
# seed 002); the coordinator prepares and advises.
HANDLING = frozenset(Action) - {Action.DECIDE_FOLLOW_UP, Action.DECIDE, Action.MEASURE}

# What each role on a case may do. "coordinator" is the organisation role; the others are
# assignments on the case (integriteit.cases.constants.CaseRole values).
ACTIONS_BY_CASE_ROLE: dict[str, frozenset[Action]] = {
    "coordinator": HANDLING,
    "handler": HANDLING,
    "process_guide": frozenset(
        {Action.VIEW, Action.MESSAGE, Action.FEEDBACK, Action.AFTERCARE, Action.SIGNAL}
    ),
    "investigator": frozenset(
        {Action.VIEW, Action.DOWNLOAD, Action.RECORD_OUTCOME, Action.RECORD_SUBJECT}
    ),
    "competent_authority": frozenset(
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

# Who may register a report received outside the online form (RULES R1–R2).
REGISTERING_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.CONFIDENTIAL_ADVISER)


def is_verified_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_verified())


def _organisations_with_role(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role__in=roles).values("organisation")
    )


def _active_assignments(user):
    from integriteit.cases.models import CaseAssignment

    return CaseAssignment.objects.filter(user=user, ended_at__isnull=True)


def reports_visible_to(user) -> QuerySet[Report]:
    if not is_verified_staff(user):
        return Report.objects.none()
    as_coordinator = Q(organisation__in=_organisations_with_role(user, [Role.COORDINATOR]))
    as_assignee = Q(pk__in=_active_assignments(user).values("report"))
    return (
        Report.objects.submitted()
        .filter(as_coordinator | as_assignee)
        .exclude(exclusions__person_tag=person_tag(user.pk))
    )


def roles_on(user, report: Report) -> set[str]:
    if not reports_visible_to(user).filter(pk=report.pk).exists():
        return set()
    roles = set(_active_assignments(user).filter(report=report).values_list("role", flat=True))
    if RoleAssignment.objects.filter(
        user=user, organisation_id=report.organisation_id, role=Role.COORDINATOR
    ).exists():
        roles.add("coordinator")
    return roles


def allowed_actions(user, report: Report) -> frozenset[Action]:
    actions: set[Action] = set()
    for role in roles_on(user, report):
        actions |= ACTIONS_BY_CASE_ROLE.get(role, frozenset())
    return frozenset(actions)


def can(user, action: Action, report: Report) -> bool:
    return action in allowed_actions(user, report)


def is_excluded(user, report: Report) -> bool:
    return report.exclusions.filter(person_tag=person_tag(user.pk)).exists()


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
    return is_verified_staff(user) and (
        RoleAssignment.objects.filter(user=user).exists() or _active_assignments(user).exists()
    )
