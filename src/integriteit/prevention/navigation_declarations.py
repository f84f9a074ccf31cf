"""The register of side activities in the header (ui.navigation, registered from apps.py): who
sees an entry is the rule its page asks (access)."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from . import access


def _reads_interests(user) -> bool:
    return access.is_assessor(user) or bool(access.coordinated_organisation_ids(user))


def register() -> None:
    register_entry(
        Entry("prevention:my_declarations", _("My side activities"), Audience.STAFF, order=100)
    )
    register_entry(
        Entry(
            "prevention:assess_queue",
            _("Side activities to assess"),
            Audience.STAFF,
            access.is_assessor,
            order=101,
        )
    )
    register_entry(
        Entry(
            "prevention:register",
            _("Register of side activities"),
            Audience.STAFF,
            access.organisations_to_coordinate,
            order=102,
        )
    )
    register_entry(
        Entry(
            "prevention:interests",
            _("Financial interests"),
            Audience.STAFF,
            _reads_interests,
            order=103,
        )
    )
    register_entry(
        Entry(
            "prevention:functions",
            _("Designated functions"),
            Audience.STAFF,
            access.organisations_to_coordinate,
            order=104,
        )
    )
    register_entry(
        Entry(
            "prevention:oaths",
            _("Oaths and affirmations"),
            Audience.STAFF,
            access.organisations_to_coordinate,
            order=105,
        )
    )
    register_entry(
        Entry(
            "prevention:public_index",
            _("Published side activities"),
            Audience.EVERYONE,
            order=200,
        )
    )
