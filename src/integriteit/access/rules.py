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
- People asked to cooperate in an investigation see, outside the case, only what concerns them
  (RULES R12): an interviewee their own invitation and record, a subject the draft and final
  reports offered to them (`interviews_visible_to`, `report_versions_visible_to`).
- Administrators and auditors never read contents; auditors read the audit trail.
- Staff act only after the second factor (a password alone opens nothing).
- The rows that decide access (role and case assignments, a report's organisation and its set
  of exclusions) are sealed with a key outside the database and checked here: a row that fails
  its seal gives nothing, a report that fails its seal is shown to nobody, and both raise an
  integrity alert (access.seals; docs/decisions/0012-access-seals.md).
"""

import uuid
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.services import integrity_alert
from integriteit.crypto.references import tag_for
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report, ReportExclusion

from .seals import case_assignment_intact, report_intact, role_assignment_intact


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


SEAL_MISMATCH = "access seal does not match"


def _intact_roles(user, roles: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """(organisation, role) of the user's role rows whose seal holds; a row written without
    the key (an inserted coordinator row, a changed organisation) is dropped and alerted."""
    rows = RoleAssignment.objects.filter(user=user)
    if roles is not None:
        rows = rows.filter(role__in=list(roles))
    intact = []
    for pk, organisation_id, role, unit_id, seal in rows.order_by("pk").values_list(
        "pk", "organisation_id", "role", "unit_id", "seal"
    ):
        if role_assignment_intact(seal, user.pk, organisation_id, role, unit_id):
            intact.append((organisation_id, role))
        else:
            integrity_alert("role_assignment", pk, SEAL_MISMATCH)
    return intact


def _organisation_ids_with_role(user, roles) -> set[int]:
    return {organisation_id for organisation_id, _role in _intact_roles(user, roles)}


def _organisations_with_role(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=_organisation_ids_with_role(user, roles))


def _active_assignments(user):
    from integriteit.cases.models import CaseAssignment

    return CaseAssignment.objects.filter(user=user, ended_at__isnull=True)


def _intact_assignments(user) -> dict[uuid.UUID, set[str]]:
    """The case roles of the user's active assignments whose seal holds, per report; an
    inserted or revived assignment is dropped and alerted."""
    roles: dict[uuid.UUID, set[str]] = {}
    for pk, report_id, role, seal in (
        _active_assignments(user).order_by("pk").values_list("pk", "report_id", "role", "seal")
    ):
        if case_assignment_intact(seal, report_id, user.pk, role, ended=False):
            roles.setdefault(report_id, set()).add(role)
        else:
            integrity_alert("case_assignment", pk, SEAL_MISMATCH)
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
    return _visible(
        user, _organisation_ids_with_role(user, [Role.COORDINATOR]), _intact_assignments(user)
    )


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


def interviews_visible_to(user) -> QuerySet:
    """The interviews the user is invited to as the interviewee (subject or witness): the
    invitation with their rights and, once offered, their own record (RULES R12). This gives no
    access to the case: a witness sees only their own interview, the subject stays excluded."""
    from integriteit.investigations.models import Interview

    if not is_verified_staff(user):
        return Interview.objects.none()
    # The interviewee is a keyed tag, not a user id (docs/decisions/0013).
    own_tag = tag_for(Interview, "interviewee", user.pk)
    return Interview.objects.filter(interviewee_tag=own_tag, invited_at__isnull=False)


def report_versions_visible_to(user) -> QuerySet:
    """The investigation reports offered to the user as a subject of the case (hoor en
    wederhoor, RULES R10, R12): each draft once it is offered for their response, and the final
    report once its step is completed (the report the competent authority decides on: the latest
    final version) or once it is offered to them. Never the case itself: reports_visible_to is
    unchanged and the subject stays excluded from it."""
    from integriteit.cases.models import Subject
    from integriteit.investigations.constants import ReportVersionKind
    from integriteit.investigations.models import ReportVersion, StepRecord

    if not is_verified_staff(user):
        return ReportVersion.objects.none()
    own_tag = tag_for(Subject, "person", user.pk)  # a keyed tag, not a user id (ADR 0013)
    as_subject = ReportVersion.objects.filter(
        investigation__report_id__in=Subject.objects.filter(person_tag=own_tag).values("report_id")
    )
    final_step_completed = StepRecord.objects.filter(
        investigation_id=OuterRef("investigation_id"),
        step__code="final_report",
        completed_at__isnull=False,
    )
    later_final = ReportVersion.objects.filter(
        Q(generated_at__gt=OuterRef("generated_at"))
        | Q(generated_at=OuterRef("generated_at"), pk__gt=OuterRef("pk")),
        investigation_id=OuterRef("investigation_id"),
        kind=ReportVersionKind.FINAL,
    )
    return as_subject.filter(
        Q(offered_to_subject_at__isnull=False)
        | (Q(kind=ReportVersionKind.FINAL) & Exists(final_step_completed) & ~Exists(later_final))
    )


def roles_on(user, report: Report) -> set[str]:
    if not is_verified_staff(user):
        return set()
    coordinated = _organisation_ids_with_role(user, [Role.COORDINATOR])
    assigned = _intact_assignments(user)
    if not _visible(user, coordinated, assigned).filter(pk=report.pk).exists():
        return set()
    roles = set(assigned.get(report.pk, ()))
    if report.organisation_id in coordinated:
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
    """Whether the user is kept out of the report. A report whose seal fails keeps everyone
    out (fail closed): an exclusion row deleted in the database must not let its person in."""
    row = _access_rows([report.pk]).get(report.pk)
    if row is None or not _seal_holds(report, row):
        return True
    return person_tag(user.pk) in row[2]


def organisations_user_can_register_for(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return _organisations_with_role(user, REGISTERING_ROLES).filter(is_active=True)


def can_read_audit_trail(user) -> bool:
    return is_verified_staff(user) and bool(_intact_roles(user, [Role.AUDITOR]))


def is_staff_member(user) -> bool:
    """Whether the user has any role that gives a workspace (the staff start page)."""
    return is_verified_staff(user) and bool(_intact_roles(user) or _intact_assignments(user))


def organisations_for_process_evaluation(user) -> QuerySet[Organisation]:
    """Aggregated evaluation answers: coordinators for their organisation, the government-wide
    coordinator for every organisation under BZK coordination. Never single answers."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    roles = _intact_roles(user, [Role.BZK_COORDINATOR, Role.COORDINATOR])
    if any(role == Role.BZK_COORDINATOR for _organisation, role in roles):
        return Organisation.objects.filter(outside_bzk_coordination=False)
    return Organisation.objects.filter(pk__in={organisation for organisation, _role in roles})


def organisations_for_adviser_register(user) -> QuerySet[Organisation]:
    """The register of confidential advisers (issue 5 §1): coordinators for their organisation,
    the government-wide coordinator for every organisation."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    roles = _intact_roles(user, [Role.BZK_COORDINATOR, Role.COORDINATOR])
    if any(role == Role.BZK_COORDINATOR for _organisation, role in roles):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in={organisation for organisation, _role in roles})


def organisations_for_protocol(user) -> QuerySet[Organisation]:
    """The investigation protocol (issue 4 §1): the integrity coordinators of an organisation
    manage its own steps on top of the BIPO baseline."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return _organisations_with_role(user, [Role.COORDINATOR])


def adviser_of(user):
    """The user's ConfidentialAdviser record, or None (issue 5)."""
    from integriteit.advisers.models import ConfidentialAdviser

    if not is_verified_staff(user):
        return None
    return ConfidentialAdviser.objects.filter(user=user).first()


def log_entries_of(user) -> QuerySet:
    """The conversation log entries the user may read: only the ones they wrote as a
    confidential adviser (issue 5 §3). No other role, not the coordinator, the competent
    authority, an administrator or an auditor, reads a single entry; they see aggregates."""
    from integriteit.advisers.models import ConversationLogEntry

    if not is_verified_staff(user):
        return ConversationLogEntry.objects.none()
    return ConversationLogEntry.objects.filter(adviser__user=user)


def annual_report_organisations_to_edit(user) -> QuerySet[Organisation]:
    """The advisers' annual report (issue 5 §5): the confidential advisers of an organisation
    (role or register) create it and write its recommendations."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk__in=_organisation_ids_with_role(user, [Role.CONFIDENTIAL_ADVISER]))
        | Q(confidential_advisers__user=user, confidential_advisers__is_active=True)
    ).distinct()


def annual_report_organisations_to_respond(user) -> QuerySet[Organisation]:
    """The competent authority reads the annual report and responds to it."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return _organisations_with_role(user, [Role.COMPETENT_AUTHORITY])


def annual_report_organisations_visible_to(user) -> QuerySet[Organisation]:
    """Who sees an organisation's annual report (aggregates with suppression, never an entry):
    its advisers, its competent authority and its integrity coordinators."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk__in=annual_report_organisations_to_edit(user).values("pk"))
        | Q(pk__in=_organisation_ids_with_role(user, [Role.COMPETENT_AUTHORITY, Role.COORDINATOR]))
    )
