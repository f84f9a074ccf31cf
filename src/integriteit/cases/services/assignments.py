"""People on the case: assignments and their refusals, declared conflicts of interest."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, can, is_excluded
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.audit.services import Actor, record
from integriteit.crypto import references
from integriteit.crypto.holders import new_row_sealer
from integriteit.reports import services as report_services
from integriteit.reports.constants import ExclusionReason
from integriteit.reports.models import Report
from integriteit.reports.sealing import Content, open_content

from .. import people
from ..constants import (
    AssignmentRefusal,
    CaseRole,
)
from ..guards import CaseAction
from ..models import (
    CaseAssignment,
    DeclaredConflict,
)
from .base import CaseError, _guard, _require


def subject_people(report: Report) -> list[User]:
    """The staff members who are subjects of the case (their ids are sealed under its key)."""
    return list(people.people_of(report.subjects.exclude(person_tag=""), "person").values())


def _named_ids(report: Report, content: Content | None = None) -> set[int]:
    """The staff named in the report and the subjects: ids opened from the sealed content (or
    taken from `content`, the contents a page already read) and the sealed subject references
    (ADR 0013)."""
    if content is None:
        content = open_content(report)
    if not content.readable:  # a page's stand-in for damaged contents: who is named is unknown
        raise ValueError("the people named in an unreadable report are unknown")
    named = {person["id"] for person in content.involved_staff}
    return named | {person.pk for person in subject_people(report)}


class _RefusalCheck:
    """`assignment_refusal_codes` for one case, with what every candidate shares read once
    (the people named, their declared-conflict tags, the subjects' units): a form that lists
    the candidates asks it for each of them."""

    def __init__(self, report: Report, content: Content | None = None):
        self.report = report
        self.named = _named_ids(report, content)
        self.conflict_tags = {
            references.tag_for(DeclaredConflict, "person", pk) for pk in self.named
        }
        self.subject_units = {person.unit_id for person in subject_people(report)}
        self._candidates: dict[str, set[int]] = {}

    def _candidate_ids(self, role: str) -> set[int]:
        if role not in self._candidates:
            self._candidates[role] = set(candidates(self.report, role).values_list("pk", flat=True))
        return self._candidates[role]

    def __call__(self, assignee: User, role: str) -> list[AssignmentRefusal]:
        report = self.report
        refusals = []
        if is_excluded(assignee, report):
            refusals.append(AssignmentRefusal.EXCLUDED)
        if assignee.pk in self.named:
            refusals.append(AssignmentRefusal.NAMED)
        if DeclaredConflict.objects.filter(
            user=assignee, person_tag__in=self.conflict_tags
        ).exists():
            refusals.append(AssignmentRefusal.CONFLICT)
        if (
            role == CaseRole.INVESTIGATOR
            and assignee.unit_id is not None
            and assignee.unit_id in self.subject_units
        ):
            refusals.append(AssignmentRefusal.SUBJECTS_UNIT)
        if report.assignments.filter(user=assignee, role=role, ended_at__isnull=True).exists():
            refusals.append(AssignmentRefusal.ALREADY_ASSIGNED)
        # Handlers may come from elsewhere (e.g. another organisation's integrity bureau for a
        # complaint); the other roles must hold the matching role in the organisation.
        if role != CaseRole.HANDLER and assignee.pk not in self._candidate_ids(role):
            refusals.append(AssignmentRefusal.NO_ORGANISATION_ROLE)
        return refusals


def assignment_refusal_codes(report: Report, assignee: User, role: str) -> list[AssignmentRefusal]:
    """Why `assignee` cannot take `role` on this case, as codes: exclusions, people named,
    declared conflicts, the subject's unit, the role already held, the organisation role."""
    return _RefusalCheck(report)(assignee, role)


def assignable(report: Report, role: str, *, allowed=frozenset(), content: Content | None = None):
    """The candidates for `role` whom `assign` would accept: the one rule behind both the
    service's refusals and the choices every assignment form offers, so that a person kept out
    of the case (RULES R7; SYSTEM.md "Need to know"), named in it or in conflict is never
    offered and refused only after submitting (issue 10 defect 7). `allowed`: refusal codes
    that do not count (commissioning keeps an investigator already on the case). `content`:
    the report's contents as the page read them (once per page, reports.selectors.content_of);
    without it they are opened here. Contents that could not be read leave nobody to offer:
    who is named in them is unknown (fail closed)."""
    if content is not None and not content.readable:
        return candidates(report, role).none()
    check = _RefusalCheck(report, content)
    people = list(candidates(report, role))
    ok = [person.pk for person in people if not set(check(person, role)) - set(allowed)]
    return candidates(report, role).filter(pk__in=ok)


def assignment_refusals(report: Report, assignee: User, role: str) -> list[str]:
    """The refusals of `assignment_refusal_codes` in the user's language."""
    return [str(code.label) for code in assignment_refusal_codes(report, assignee, role)]


@transaction.atomic
def assign(user: User, report: Report, assignee: User, role: str) -> CaseAssignment:
    # The competent authority commissions the investigation, so it may assign the investigator.
    commissions = role == CaseRole.INVESTIGATOR and can(user, Action.DECIDE_FOLLOW_UP, report)
    if not (commissions or can(user, Action.ASSIGN, report)):
        raise PermissionDenied
    _guard(CaseAction.ASSIGN, report)
    if reasons := assignment_refusals(report, assignee, role):
        raise CaseError(" ".join(reasons))
    assignment = CaseAssignment.objects.create(
        report=report, user=assignee, role=role, assigned_by=user
    )
    if role == CaseRole.HANDLER and report.concerns_report is not None:
        # A complaint's handlers do not see the case complained about unless granted.
        report_services.exclude_people(
            report.concerns_report, [assignee], ExclusionReason.HANDLES_COMPLAINT
        )
    record(
        Actor.of(user),
        "case.assigned",
        "report",
        report.pk,
        {"user": assignee.pk, "role": role},
    )
    return assignment


def _ensure_handler(user: User, report: Report) -> None:
    if not report.assignments.filter(role=CaseRole.HANDLER, ended_at__isnull=True).exists():
        CaseAssignment.objects.create(
            report=report, user=user, role=CaseRole.HANDLER, assigned_by=user
        )
        if report.concerns_report is not None:
            # As in `assign`: a complaint's handler does not see the case complained about.
            report_services.exclude_people(
                report.concerns_report, [user], ExclusionReason.HANDLES_COMPLAINT
            )


@transaction.atomic
def end_assignment(user: User, assignment: CaseAssignment) -> None:
    _require(user, Action.ASSIGN, assignment.report)
    _guard(CaseAction.END_ASSIGNMENT, assignment.report)
    if assignment.ended_at is not None:
        raise CaseError(_("This assignment has already ended."))
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    record(
        Actor.of(user),
        "case.unassigned",
        "report",
        assignment.report_id,
        {"user": assignment.user_id, "role": assignment.role},
    )


def declared_conflicts_of(user: User):
    """The declarant's own declarations."""
    return DeclaredConflict.objects.filter(user=user)


@transaction.atomic
def declare_conflict(user: User, person: User) -> DeclaredConflict:
    """The colleague is kept as a tag plus their id under the declaration's own data key; the
    audit entry names the declaration, not the colleague (ADR 0013)."""
    if person.pk == user.pk:
        raise CaseError(_("You cannot declare a conflict of interest with yourself."))
    conflict, created = DeclaredConflict.objects.get_or_create(
        user=user, person_tag=people.tag_for(DeclaredConflict, "person", person)
    )
    if created:
        sealer = new_row_sealer(conflict)
        conflict.save(update_fields=["wrapped_key", "kek_version"])
        people.refer(conflict, "person", person, sealer)
    record(Actor.of(user), "conflict.declared", "user", user.pk, {"conflict": conflict.pk})
    return conflict


@transaction.atomic
def withdraw_conflict(user: User, conflict: DeclaredConflict) -> None:
    """Only the person who declared a conflict withdraws it; the audit entry keeps the history."""
    if conflict.user_id != user.pk:
        raise PermissionDenied
    record(Actor.of(user), "conflict.withdrawn", "user", user.pk, {"conflict": conflict.pk})
    conflict.delete()


def candidates(report: Report, role: str):
    """Staff of the organisation who may take `role`: holders of the matching organisation role."""
    org_role = {
        CaseRole.HANDLER: Role.COORDINATOR,
        CaseRole.PROCESS_GUIDE: Role.PROCESS_GUIDE,
        CaseRole.INVESTIGATOR: Role.INVESTIGATOR,
        CaseRole.COMPETENT_AUTHORITY: Role.COMPETENT_AUTHORITY,
    }[CaseRole(role)]
    holders = RoleAssignment.objects.filter(organisation=report.organisation, role=org_role)
    return User.objects.filter(pk__in=holders.values("user"), is_active=True).order_by(
        "last_name", "first_name"
    )
