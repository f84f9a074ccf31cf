"""Routing around a compromised line: when every integrity coordinator of the organisation is
kept out of a report (for example because they are named in it, or because they handled the
case a complaint is about), the report goes to the government-wide coordinator instead, so it
never waits unseen (seed 000 points 1–2: an independent route when the line is part of the
problem; seed 000: reports must not vanish).

The fall-back is decided after every exclusion of the report is in place (issue 10 defect 3): a
new report's exclusions are written before `report_received` is sent, so the signal routes it;
a complaint's exclusions (everyone who handled the original, ExclusionReason.HANDLED_ORIGINAL)
are written by `services.file_complaint` after the report exists, so that service routes it
once they are in place and the signal leaves complaints alone.

When nobody independent is left (every coordinator and the government-wide coordinator kept
out, or an organisation outside BZK coordination such as Defensie, seed 001 note 1), the
organisation's administrators are told by one e-mail through the outbox (ADR 0017): they
configure people and roles (SYSTEM.md roles) and so can appoint an independent integrity
coordinator, and they never read case contents. The mail names the organisation, the reference
and the date of receipt only, never contents, kind or names (SECURITY.md), and goes to nobody
who is kept out of the report (SYSTEM.md "Need to know": an excluded person must not learn that
the report exists). The case page shows the report as without handler, with a warning
(`unhandled_warning`)."""

import logging

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from integriteit.access.rules import is_excluded
from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.audit.services import SYSTEM, record
from integriteit.reports import services as report_services
from integriteit.reports.constants import ExclusionReason
from integriteit.reports.models import Report
from integriteit.ui import dates

from .constants import CaseRole
from .models import CaseAssignment

logger = logging.getLogger(__name__)


def _active(role: Role, **filters):
    return User.objects.filter(roles__role=role, is_active=True, **filters).distinct()


def _independent(people, report: Report) -> list[User]:
    return [person for person in people if not is_excluded(person, report)]


def independent_coordinators(report: Report) -> list[User]:
    """The organisation's integrity coordinators who are not kept out of the report."""
    return _independent(_active(Role.COORDINATOR, roles__organisation=report.organisation), report)


def fallback_handlers(report: Report) -> list[User]:
    """The government-wide (BZK) coordinators who are not kept out of the report; none for an
    organisation outside BZK coordination (Defensie has its own system, seed 001 note 1)."""
    if report.organisation.outside_bzk_coordination:
        return []
    return _independent(_active(Role.BZK_COORDINATOR), report)


def has_handler(report: Report) -> bool:
    return report.assignments.filter(role=CaseRole.HANDLER, ended_at__isnull=True).exists()


def route(report: Report) -> None:
    """Make sure the report reaches someone independent of it: its organisation's coordinators,
    else the government-wide coordinator as handler, else tell the administrators."""
    if independent_coordinators(report) or has_handler(report):
        return
    fallback = fallback_handlers(report)
    for person in fallback:
        CaseAssignment.objects.get_or_create(
            report=report, user=person, role=CaseRole.HANDLER, ended_at=None
        )
    if fallback and report.concerns_report is not None:
        # As for every handler of a complaint (services.assign): they do not see the case
        # complained about unless granted.
        report_services.exclude_people(
            report.concerns_report, fallback, ExclusionReason.HANDLES_COMPLAINT
        )
    told = 0 if fallback else _tell_administrators(report)
    record(
        SYSTEM,
        "report.routed_around_coordinators",
        "report",
        report.pk,
        {
            "to": "bzk_coordinator" if fallback else "nobody",
            "handlers": len(fallback),
            "told": told,
        },
    )


def route_when_no_coordinator(sender, report: Report, **kwargs) -> None:
    """`report_received`: a new report's exclusions are in place. A complaint is routed by
    `services.file_complaint`, after it has excluded the original's handlers."""
    if report.concerns_report_id is not None:
        return
    route(report)


def administrators_to_tell(report: Report) -> list[User]:
    """The organisation's administrators with an address who are not kept out of the report."""
    admins = _active(Role.ADMINISTRATOR, roles__organisation=report.organisation).exclude(email="")
    return _independent(admins.order_by("pk"), report)


def _tell_administrators(report: Report) -> int:
    """One e-mail to every administrator who may be told; the number of recipients."""
    recipients = [person.email for person in administrators_to_tell(report)]
    if not recipients:
        # Nobody to tell by mail: the operators see it in the log and the audit entry.
        logger.error("Report %s has no independent handler and nobody to tell.", report.pk)
        return 0
    values = {
        "reference": report.reference,
        "organisation": report.organisation.name,
        "date": dates.day(report.received_at),
    }
    send_mail(
        subject=_("Report %(reference)s has no independent handler") % values,
        message=_(
            "The report %(reference)s, received by %(organisation)s on %(date)s, cannot reach "
            "any integrity coordinator who is independent of it, and no government-wide "
            "coordinator can take it over.\n\n"
            "Appoint an integrity coordinator for %(organisation)s who was not involved, so "
            "that the report is handled. Until then nobody handles it.\n"
            "This e-mail contains no details of the report, for the safety of those involved."
        )
        % values,
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)


def unhandled_warning(report: Report) -> bool:
    """Whether the case page warns that a complaint has no handler: nobody independent was
    found when it arrived, or its handlers have left (the viewer may be a coordinator appointed
    since, who can take it on)."""
    return report.concerns_report_id is not None and not has_handler(report)
