"""The prevention module's entries in the header (ui.navigation, registered from apps.py)."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from .access_policy import organisations_to_read_policy
from .access_position import organisations_to_read_position


def register() -> None:
    register_entry(
        Entry(
            "prevention:policy_list",
            _("Integrity policy"),
            Audience.STAFF,
            organisations_to_read_policy,
            order=92,
        )
    )
    register_entry(
        Entry(
            "prevention:position",
            _("Position of the integrity coordinator"),
            Audience.STAFF,
            organisations_to_read_position,
            order=96,
        )
    )
