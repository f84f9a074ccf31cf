"""The administrator's entry in the header (ui.navigation, registered from apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integriteit.ui.landing import Landing, register_landing
from integriteit.ui.navigation import Audience, Entry, register_entry


def _administers(user) -> bool:
    """The Django admin (an OTPAdminSite, urls.py) opens for active staff-flagged users after
    the second factor, which the navigation already demands."""
    return bool(user.is_active and user.is_staff)


def register() -> None:
    register_landing(Landing("administrator", 90, _administers, lambda: reverse("admin:index")))
    register_entry(
        Entry("admin:index", _("Administration"), Audience.STAFF, _administers, order=99)
    )
