"""The registry's entry in the header (ui.navigation, registered from apps.py): for the
integrity coordinators, who keep their organisation's registry."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from .access import organisations_for_entries


def register() -> None:
    register_entry(
        Entry("registry:list", _("Registry"), Audience.STAFF, organisations_for_entries, order=68)
    )
