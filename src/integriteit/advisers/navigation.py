"""The confidential advisers' entries in the header (ui.navigation, registered from apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integriteit.ui.landing import Landing, register_landing
from integriteit.ui.navigation import Audience, Entry, register_entry

from .access import (
    adviser_records,
    annual_report_organisations_visible_to,
    organisations_for_adviser_register,
)


def _active_adviser(user):
    return adviser_records(user).filter(is_active=True)


def register() -> None:
    register_landing(
        Landing(
            "confidential_adviser",
            50,
            lambda user: adviser_records(user).exists(),
            lambda: reverse("advisers:log"),
        )
    )
    register_entry(
        Entry(
            "advisers:register",
            _("Register of confidential advisers"),
            Audience.STAFF,
            organisations_for_adviser_register,
            order=70,
        )
    )
    register_entry(
        Entry("advisers:log", _("My conversation log"), Audience.STAFF, adviser_records, order=75)
    )
    register_entry(
        Entry("advisers:rooms", _("Conversation rooms"), Audience.STAFF, _active_adviser, order=80)
    )
    register_entry(
        Entry(
            "advisers:annual_list",
            _("Annual reports of the confidential advisers"),
            Audience.STAFF,
            annual_report_organisations_visible_to,
            order=85,
        )
    )
    register_entry(
        Entry(
            "advisers:signals",
            _("Interim signals"),
            Audience.STAFF,
            annual_report_organisations_visible_to,
            order=90,
        )
    )
