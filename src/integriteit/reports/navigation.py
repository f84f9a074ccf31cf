"""The reporting channel's entries in the header (ui.navigation, registered from apps.py)."""

from django.utils.translation import gettext_lazy as _

from integriteit.access.rules import organisations_user_can_register_for
from integriteit.ui.navigation import Audience, Entry, register_entry


def register() -> None:
    register_entry(Entry("reports:start", _("Make a report"), Audience.VISITORS, order=10))
    register_entry(Entry("reports:mailbox_login", _("My mailbox"), Audience.VISITORS, order=20))
    register_entry(
        Entry(
            "reports:register",
            _("Register a report"),  # RULES R1–R2: coordinators, managers, advisers
            Audience.STAFF,
            organisations_user_can_register_for,
            order=40,
        )
    )
