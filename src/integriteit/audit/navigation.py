"""The audit trail's entry in the header (ui.navigation, registered from apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integriteit.access.rules import can_read_audit_trail
from integriteit.ui.landing import Landing, register_landing
from integriteit.ui.navigation import Audience, Entry, register_entry


def register() -> None:
    register_landing(Landing("auditor", 80, can_read_audit_trail, lambda: reverse("audit:trail")))
    register_entry(
        Entry("audit:trail", _("Audit trail"), Audience.STAFF, can_read_audit_trail, order=50)
    )
