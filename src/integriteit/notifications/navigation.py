"""The notifications' entries in the header (ui.navigation, registered from apps.py): the
notifications page with the number unread, and the escalation settings for administrators."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from .selectors import administered_organisations, unread_count


def register() -> None:
    register_entry(
        Entry(
            "notifications:list",
            _("Notifications"),
            Audience.STAFF,
            order=15,
            count=unread_count,
            count_label=_("unread"),
        )
    )
    register_entry(
        Entry(
            "notifications:escalation",
            _("Escalation of deadlines"),
            Audience.STAFF,
            administered_organisations,
            order=190,
        )
    )
