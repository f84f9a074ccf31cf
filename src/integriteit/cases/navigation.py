"""Case handling's entries in the header (ui.navigation, registered from apps.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integriteit.access.rules import intact_roles, reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.ui.landing import Landing, register_landing
from integriteit.ui.navigation import Audience, Entry, register_entry

from . import queue
from .access import holds_role, organisations_for_process_evaluation
from .constants import CaseRole


def queue_url(**filters: str) -> str:
    url = reverse("cases:queue")
    return f"{url}?{urlencode(filters)}" if filters else url


# The roles whose landing is the work queue (below); anyone else, the investigator included
# (she lands on her investigations), has it only with a case.
QUEUE_ROLES = (Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.PROCESS_GUIDE)


def _has_a_queue(user):
    """The queue is linked for whom it is work: the roles that land on it, and anyone with a
    case (the queue sends anyone else to her own landing, cases.views.workspace)."""
    if intact_roles(user, QUEUE_ROLES):
        return True
    return reports_visible_to(user)


def _landings() -> None:
    """Where each role of case handling lands (ui.landing has the whole precedence)."""
    register_landing(
        Landing(
            "coordinator",
            10,
            lambda user: holds_role(user, Role.COORDINATOR, CaseRole.HANDLER),
            queue_url,
        )
    )
    register_landing(
        Landing(
            "competent_authority",
            20,
            lambda user: holds_role(user, Role.COMPETENT_AUTHORITY, CaseRole.COMPETENT_AUTHORITY),
            lambda: queue_url(phase=queue.AWAITING_DECISION, assignee=queue.MINE),
        )
    )
    register_landing(
        Landing(
            "process_guide",
            40,
            lambda user: holds_role(user, Role.PROCESS_GUIDE, CaseRole.PROCESS_GUIDE),
            lambda: queue_url(assignee=queue.MINE),
        )
    )
    register_landing(
        Landing(
            "manager",
            60,
            lambda user: holds_role(user, Role.MANAGER),
            lambda: reverse("cases:process") + "#leidinggevende",  # the manager toolkit
        )
    )
    register_landing(
        Landing(
            "bzk_coordinator",
            70,
            lambda user: holds_role(user, Role.BZK_COORDINATOR),
            lambda: reverse("cases:evaluations"),
        )
    )


def register() -> None:
    _landings()
    register_entry(Entry("cases:dashboard", _("Work overview"), Audience.STAFF, order=10))
    register_entry(
        Entry(
            "cases:evaluations",
            _("Process evaluation"),
            Audience.STAFF,
            organisations_for_process_evaluation,
            order=20,
        )
    )
    register_entry(Entry("cases:queue", _("Work queue"), Audience.STAFF, _has_a_queue, order=30))
    # Anyone who may be assigned to a case declares their conflicts of interest beforehand.
    register_entry(
        Entry(
            "cases:conflicts",
            _("My declared conflicts of interest"),
            Audience.STAFF,
            order=95,
        )
    )
    register_entry(Entry("cases:process", _("How the process works"), Audience.EVERYONE, order=210))
