"""Case handling's entries in the header (ui.navigation, registered from apps.py)."""

from django.utils.translation import gettext_lazy as _

from integriteit.ui.navigation import Audience, Entry, register_entry

from .access import organisations_for_process_evaluation


def register() -> None:
    register_entry(Entry("cases:dashboard", _("Work overview"), Audience.STAFF, order=10))
    register_entry(
        Entry(
            "cases:evaluations",
            _("Process evaluation"),
            Audience.STAFF,
            organisations_for_process_evaluation,
            order=20,
        )
    )
    register_entry(Entry("cases:queue", _("Work queue"), Audience.STAFF, order=30))
    # Anyone who may be assigned to a case declares their conflicts of interest beforehand.
    register_entry(
        Entry(
            "cases:conflicts",
            _("My declared conflicts of interest"),
            Audience.STAFF,
            order=95,
        )
    )
    register_entry(Entry("cases:process", _("How the process works"), Audience.EVERYONE, order=210))
