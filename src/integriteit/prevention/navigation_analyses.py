"""The risk analyses' entry in the header (ui.navigation, registered from apps.py): for the
organisation's integrity coordinators, its management and its competent authority."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from .access_analyses import organisations_with_analyses


def register() -> None:
    register_entry(
        Entry(
            "prevention:analyses:list",
            _("Risk analyses"),
            Audience.STAFF,
            organisations_with_analyses,
            order=69,
        )
    )
