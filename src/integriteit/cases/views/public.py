"""Public pages of case handling: how the reporting process works, for every participant.

Issue 3 §1: the phase model and who does what per phase, described from each role's point of view
(seed 002 "Het meldproces"; the manager's view is the manager toolkit of seed 002). No login, no
session, nothing about the visitor is stored. The phase texts come from cases.phases.PHASE_GUIDE,
the same texts the case page shows, so there is one source.
"""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Phase

from ..phases import PHASE_GUIDE, PhaseGuide
from ..workflow import PHASE_ORDER

# One section per role, in this order; the ids are the anchors (stable in every language).
ROLE_SECTIONS: list[tuple[str, object]] = [
    ("melder", _("For reporters")),
    ("leidinggevende", _("For managers")),
    ("integriteitscoordinator", _("For integrity coordinators")),
    ("procesbegeleider", _("For process guides")),
    ("onderzoeker", _("For investigators")),
    ("bevoegd-gezag", _("For the competent authority")),
    ("beklagde", _("If a report is about you")),
    ("vertrouwenspersoon", _("For confidential advisers")),
    ("auditor", _("For auditors")),
    ("beheerder", _("For administrators")),
]


@dataclass(frozen=True)
class PhaseRow:
    value: str
    label: object
    guide: PhaseGuide


@dataclass(frozen=True)
class Step:
    """One step of the process; a choice step holds the follow-up routes, of which one is taken."""

    phases: list[PhaseRow]

    @property
    def is_choice(self) -> bool:
        return len(self.phases) > 1


def process_steps() -> list[Step]:
    steps = []
    for step in PHASE_ORDER:
        phases = step if isinstance(step, tuple) else (step,)
        steps.append(
            Step([PhaseRow(str(p), Phase(p).label, PHASE_GUIDE[Phase(p)]) for p in phases])
        )
    return steps


@require_safe
def process(request):
    """/meldproces/: the phases and, per role, what you do and what you can expect."""
    return render(
        request,
        "cases/process.html",
        {
            "steps": process_steps(),
            "role_sections": ROLE_SECTIONS,
            "acknowledgement_days": settings.ACKNOWLEDGEMENT_DAYS,  # RULES R3
            "feedback_months": settings.FEEDBACK_MONTHS,  # RULES R4
            # Seed 004 §6: interim feedback; each organisation sets its own interval.
            "interim_weeks": Organisation._meta.get_field("interim_feedback_weeks").default,
        },
    )
