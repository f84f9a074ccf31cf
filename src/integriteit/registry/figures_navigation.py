"""The header entries of the annual returns, the figures of one's own organisation and the
published figures (ui.navigation), registered from apps.py."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from .access import (
    organisations_for_own_figures,
    organisations_for_returns,
    sees_published_figures,
)


def register() -> None:
    # The coordinators, competent authority and management: their organisation's exact figures.
    register_entry(
        Entry(
            "registry:own_figures",
            _("Figures of my organisation"),
            Audience.STAFF,
            organisations_for_own_figures,
            order=94,
        )
    )
    register_entry(
        Entry(
            "registry:return_list",
            _("Annual returns"),
            Audience.STAFF,
            organisations_for_returns,
            order=95,
        )
    )
    register_entry(
        Entry(
            "registry:figures",
            _("Government-wide integrity figures"),
            Audience.STAFF,
            sees_published_figures,
            order=96,
        )
    )
