"""Routing around a compromised line: when every integrity coordinator of the organisation is
kept out of a report (for example because they are named in it), the report goes to the
government-wide coordinator instead, so it never waits unseen (seed 000 points 1–2: an
independent route when the line is part of the problem; seed 000: reports must not vanish)."""

from integriteit.access.rules import is_excluded
from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.audit.services import SYSTEM, record
from integriteit.reports.models import Report

from .constants import CaseRole
from .models import CaseAssignment


def _active(role: Role, **filters):
    return User.objects.filter(roles__role=role, is_active=True, **filters).distinct()


def route_when_no_coordinator(sender, report: Report, **kwargs) -> None:
    coordinators = _active(Role.COORDINATOR, roles__organisation=report.organisation)
    if any(not is_excluded(person, report) for person in coordinators):
        return
    fallback = [
        person for person in _active(Role.BZK_COORDINATOR) if not is_excluded(person, report)
    ]
    if report.organisation.outside_bzk_coordination:
        # Defensie has its own integrity system (seed 001 note 1): no government-wide fallback.
        fallback = []
    for person in fallback:
        CaseAssignment.objects.get_or_create(
            report=report, user=person, role=CaseRole.HANDLER, ended_at=None
        )
    record(
        SYSTEM,
        "report.routed_around_coordinators",
        "report",
        report.pk,
        {"to": "bzk_coordinator", "handlers": len(fallback)},
    )
