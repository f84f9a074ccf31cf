"""Finding a confidential adviser (issue 5 §2; seed 002: a mix of internal and external advisers
that employees choose from freely). Public: no login, no JavaScript, nothing about the visitor
is stored."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from integriteit.organisations.models import Organisation

from .. import selectors
from ..constants import AdviserKind, Referral
from ..models import ConfidentialAdviser

# Where else an employee can go (seed 002; seed 004 §6), shown on every finder page.
REFERRALS: list[tuple[object, object]] = [
    (
        Referral.RABA.label,
        _("For questions and conflicts about your employment (labour law)."),
    ),
    (
        Referral.DISPUTES_COMMITTEE.label,
        _("For a labour-law dispute with your employer that you could not resolve together."),
    ),
    (
        Referral.COMPANY_DOCTOR.label,
        _("When the situation affects your health or your ability to work."),
    ),
    (
        Referral.VERTROUWENSLIJN.label,
        _("To report a suspicion anonymously, by phone or online."),
    ),
    (
        Referral.WHISTLEBLOWERS_AUTHORITY.label,
        _("Advice and investigation of wrongdoing of public interest."),
    ),
    (
        Referral.OMBUDSMAN.label,
        _("A complaint about how your report was handled, after the internal complaint route."),
    ),
]


@dataclass(frozen=True)
class AdviserCard:
    adviser: ConfidentialAdviser
    origin: str  # "internal", "partner" or "external"

    @property
    def phone_link(self) -> str:
        return "".join(c for c in self.adviser.phone if c.isdigit() or c == "+")


def _cards(organisation: Organisation | None) -> list[AdviserCard]:
    cards = []
    for adviser in selectors.open_advisers(organisation):
        if adviser.kind == AdviserKind.EXTERNAL:
            origin = "external"
        elif organisation is None or adviser.home_organisation_id == organisation.pk:
            origin = "internal"
        else:
            origin = "partner"
        cards.append(AdviserCard(adviser, origin))
    # Internal first, then partner organisations, then external; by name within each group.
    order = {"internal": 0, "partner": 1, "external": 2}
    return sorted(cards, key=lambda card: order[card.origin])


@require_safe
def index(request):
    return render(
        request,
        "advisers/finder_index.html",
        {
            "organisations": selectors.open_organisations(),
            "cards": _cards(None),
            "referrals": REFERRALS,
        },
    )


@require_safe
def organisation(request, slug):
    organisation = get_object_or_404(selectors.open_organisations(), slug=slug)
    return render(
        request,
        "advisers/finder_organisation.html",
        {"organisation": organisation, "cards": _cards(organisation), "referrals": REFERRALS},
    )
