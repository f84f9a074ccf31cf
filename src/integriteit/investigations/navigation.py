"""Investigations' entries in the header (ui.navigation, registered from apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integriteit.accounts.constants import Role
from integriteit.cases.access import holds_role
from integriteit.cases.constants import CaseRole
from integriteit.ui.landing import Landing, register_fallback, register_landing
from integriteit.ui.navigation import Audience, Entry, register_entry

from .access import (
    interviews_visible_to,
    organisations_for_protocol,
    report_versions_visible_to,
    workload_organisations,
)
from .selectors import carries_out_investigations


def _asked_to_cooperate(user):
    """An interview, or a report offered to them as the subject (RULES R12)."""
    return [interviews_visible_to(user), report_versions_visible_to(user)]


def register() -> None:
    # The investigator lands on the investigations she carries out, each with its open step
    # and next time limit, linking to its page (an empty state when she has none).
    register_landing(
        Landing(
            "investigator",
            30,
            lambda user: holds_role(user, Role.INVESTIGATOR, CaseRole.INVESTIGATOR),
            lambda: reverse("investigations:mine"),
        )
    )
    # Everyone else, an employee: her invitations and what she is asked to respond to.
    register_fallback(lambda: reverse("investigations:portal"))
    register_entry(
        Entry(
            "investigations:mine",
            _("Investigations I carry out"),
            Audience.STAFF,
            carries_out_investigations,
            order=55,
        )
    )
    register_entry(
        Entry(
            "investigations:protocol",
            _("Investigation protocol"),
            Audience.STAFF,
            organisations_for_protocol,
            order=60,
        )
    )
    register_entry(
        Entry(
            "investigations:investigators",
            _("Investigators and workload"),
            Audience.STAFF,
            workload_organisations,
            order=65,
        )
    )
    register_entry(
        Entry(
            "investigations:portal",
            _("My investigations"),
            Audience.EVERYONE,
            _asked_to_cooperate,
            order=200,
        )
    )
