"""Need to know: the mechanism that decides who may see and do what, and its generic rules.

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
- The rows that decide access (role and case assignments, a report's organisation and its set
  of exclusions) are sealed with a key outside the database and checked here: a row that fails
  its seal gives nothing, a report that fails its seal is shown to nobody, and both raise an
  integrity alert (access.seals; docs/decisions/0012-access-seals.md).

This module imports no module after `reports` (ADR 0002). What concerns a later module's
objects is decided next to it and built on the functions here: the case roles' table and the
case assignments (`cases/access.py`, registered from `cases/apps.py`), the investigation
protocol and what people asked to cooperate see (`investigations/access.py`, RULES R12), the
advisers' register, log and annual report (`advisers/access.py`).
"""

import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.services import integrity_alert
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report, ReportExclusion

from .seals import report_intact, role_assignment_intact


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


# Who may register a report received outside the online form (RULES R1–R2).
REGISTERING_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.CONFIDENTIAL_ADVISER)

# Filled by the apps from their `apps.py` ready(), so that this module knows no later one:
# what each role on a case may do (cases registers its table), and where a user's roles on
# single reports come from (cases registers its sealed case assignments).
AssignmentSource = Callable[[Any], dict[uuid.UUID, set[str]]]
_actions_by_case_role: dict[str, frozenset[Action]] = {}
_assignment_sources: list[AssignmentSource] = []


def register_case_role(role: str, actions: Iterable[Action]) -> None:
    """What a role on a case may do: "coordinator" is the organisation role, the others are
    assignments on the case (their app registers them)."""
    _actions_by_case_role[role] = frozenset(actions)


def register_assignment_source(source: AssignmentSource) -> None:
    """A function from a user to their roles per report, read from rows whose seal holds."""
    if source not in _assignment_sources:
        _assignment_sources.append(source)


def actions_by_case_role() -> dict[str, frozenset[Action]]:
    return dict(_actions_by_case_role)


def is_verified_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_verified())


SEAL_MISMATCH = "access seal does not match"


# The role rows read once per request (access.middleware.RolesPerRequest): a page asks the rules
# of its navigation, its panels and its view, each of which needs the user's roles; reading and
# checking the seals of the same rows a dozen times cost ~35 ms a page. Outside a request (services,
# commands, tests) every call reads the database. A row is (organisation, role, unit led).
_roles_in_this_request: ContextVar[dict[int, list[tuple[int, str, int | None]]] | None] = (
    ContextVar("roles_in_this_request", default=None)
)


@contextmanager
def roles_read_once():
    token = _roles_in_this_request.set({})
    try:
        yield
    finally:
        _roles_in_this_request.reset(token)


def _read_intact_roles(user) -> list[tuple[int, str, int | None]]:
    intact: list[tuple[int, str, int | None]] = []
    for pk, organisation_id, role, unit_id, seal in (
        RoleAssignment.objects.filter(user=user)
        .order_by("pk")
        .values_list("pk", "organisation_id", "role", "unit_id", "seal")
    ):
        if role_assignment_intact(seal, user.pk, organisation_id, role, unit_id):
            intact.append((organisation_id, role, unit_id))
        else:
            integrity_alert("role_assignment", pk, SEAL_MISMATCH)
    return intact


def _intact_rows(user) -> list[tuple[int, str, int | None]]:
    read = _roles_in_this_request.get()
    if read is None:
        return _read_intact_roles(user)
    if user.pk not in read:
        read[user.pk] = _read_intact_roles(user)
    return read[user.pk]


def intact_roles(user, roles: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """(organisation, role) of the user's role rows whose seal holds; a row written without
    the key (an inserted coordinator row, a changed organisation) is dropped and alerted."""
    rows = [(organisation_id, role) for organisation_id, role, _unit in _intact_rows(user)]
    if roles is None:
        return rows
    wanted = set(roles)
    return [row for row in rows if row[1] in wanted]


def intact_units_led(user) -> set[tuple[int, int]]:
    """(organisation, unit) of the user's manager rows whose seal holds and that name a unit,
    from the same one reading as `intact_roles`."""
    return {
        (organisation_id, unit_id)
        for organisation_id, role, unit_id in _intact_rows(user)
        if role == Role.MANAGER and unit_id is not None
    }


def organisation_ids_with_role(user, roles) -> set[int]:
    return {organisation_id for organisation_id, _role in intact_roles(user, roles)}


def organisations_with_role(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids_with_role(user, roles))


def _assignments(user) -> dict[uuid.UUID, set[str]]:
    """The user's roles per report from every registered source."""
    roles: dict[uuid.UUID, set[str]] = {}
    for source in _assignment_sources:
        for report_id, found in source(user).items():
            roles.setdefault(report_id, set()).update(found)
    return roles


def _visible(user, organisations: Iterable[int], assigned: Iterable[uuid.UUID]) -> QuerySet[Report]:
    """Submitted reports of these organisations or assigned reports, minus the user's
    exclusions: literal IN lists, from rows whose seals were checked by the caller."""
    organisations, assigned = sorted(organisations), sorted(assigned)
    if not organisations and not assigned:
        return Report.objects.none()
    visible = Q()
    if organisations:  # as integrity coordinator of the organisation concerned
        visible |= Q(organisation_id__in=organisations)
    if assigned:  # through an active assignment on the case
        visible |= Q(pk__in=assigned)
    reports = Report.objects.submitted().filter(visible)
    excluded = list(
        ReportExclusion.objects.filter(person_tag=person_tag(user.pk))
        .order_by("report_id")
        .values_list("report_id", flat=True)
    )
    return reports.exclude(pk__in=excluded) if excluded else reports


def reports_visible_to(user) -> QuerySet[Report]:
    """Submitted reports of the organisations the user coordinates, plus the reports of the
    user's active assignments, minus the reports the user is excluded from. Only role and case
    assignments whose seal holds count (ADR 0012).

    The user's organisations, assignments and exclusions are read first (three small indexed
    queries) and the reports filtered with literal `organisation_id IN (…)`, `id IN (…)` and
    `id NOT IN (…)`: PostgreSQL answers that from the indexes on reports (issue 3: with
    `IN (sub-select) OR IN (sub-select)` every query read all reports). Evaluated when called,
    so call it when the query is made (as every caller does), not once for later requests.

    The query itself cannot check a report's own seal (that needs its set of exclusion tags):
    whatever shows a report, or a list of them, passes them through `shown_to` first."""
    if not is_verified_staff(user):
        return Report.objects.none()
    return _visible(user, organisation_ids_with_role(user, [Role.COORDINATOR]), _assignments(user))


def _access_rows(report_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[int, str, set[str]]]:
    """Organisation, seal and exclusion tags per report, in one query (one snapshot, so a
    concurrent exclusion write cannot pair an old seal with a new set: no false alarm)."""
    found: dict[uuid.UUID, tuple[int, str, set[str]]] = {}
    rows = (
        Report.objects.filter(pk__in=list(report_ids))
        .order_by()
        .values_list("pk", "organisation_id", "access_seal", "exclusions__person_tag")
    )
    for pk, organisation_id, seal, tag in rows:
        tags = found.setdefault(pk, (organisation_id, seal, set()))[2]
        if tag is not None:
            tags.add(tag)
    return found


def _seal_holds(report: Report, row: tuple[int, str, set[str]]) -> bool:
    organisation_id, seal, tags = row
    if organisation_id == report.organisation_id and report_intact(
        seal, report.pk, organisation_id, tags
    ):
        return True
    integrity_alert("report", report.pk, SEAL_MISMATCH)
    return False


def shown_to(user, reports: Iterable[Report]) -> list[Report]:
    """The reports, in their order, that may be shown to `user`: their seal holds for their
    organisation and set of exclusions, and that set does not hold the user. One query for
    all (a page of the queue, the lists of the overview, a chunk of the search). A report that
    fails its seal is shown to nobody (fail closed) and raises an integrity alert; a named
    person whose exclusion row was deleted does not even see the reference (ADR 0012)."""
    reports = list(reports)
    if not reports:
        return []
    rows = _access_rows(report.pk for report in reports)
    tag = person_tag(user.pk)
    return [
        report
        for report in reports
        if report.pk in rows
        and _seal_holds(report, rows[report.pk])
        and tag not in rows[report.pk][2]
    ]


def roles_on(user, report: Report) -> set[str]:
    if not is_verified_staff(user):
        return set()
    coordinated = organisation_ids_with_role(user, [Role.COORDINATOR])
    assigned = _assignments(user)
    if not _visible(user, coordinated, assigned).filter(pk=report.pk).exists():
        return set()
    roles = set(assigned.get(report.pk, ()))
    if report.organisation_id in coordinated:
        roles.add("coordinator")
    return roles


def allowed_actions(user, report: Report) -> frozenset[Action]:
    actions: set[Action] = set()
    for role in roles_on(user, report):
        actions |= _actions_by_case_role.get(role, frozenset())
    return frozenset(actions)


def can(user, action: Action, report: Report) -> bool:
    return action in allowed_actions(user, report)


def is_excluded(user, report: Report) -> bool:
    """Whether the user is kept out of the report. A report whose seal fails keeps everyone
    out (fail closed): an exclusion row deleted in the database must not let its person in."""
    row = _access_rows([report.pk]).get(report.pk)
    if row is None or not _seal_holds(report, row):
        return True
    return person_tag(user.pk) in row[2]


def organisations_user_can_register_for(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, REGISTERING_ROLES).filter(is_active=True)


def can_read_audit_trail(user) -> bool:
    return is_verified_staff(user) and bool(intact_roles(user, [Role.AUDITOR]))


def is_staff_member(user) -> bool:
    """Whether the user has any role that gives a workspace (the staff start page)."""
    return is_verified_staff(user) and bool(intact_roles(user) or _assignments(user))
