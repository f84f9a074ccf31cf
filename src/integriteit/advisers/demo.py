"""The advisers' part of the demo (accounts.demo, registered from apps.py)."""

import datetime
from decimal import Decimal

from integriteit.accounts.models import User
from integriteit.organisations.models import Organisation

from .constants import AdviserKind, AdviserThemes
from .models import ConfidentialAdviser, PeerReviewSession


def load_advisers(organisations: dict[str, Organisation]) -> None:
    """The register of confidential advisers (issue 5): an internal adviser of BZK who meets
    every basic requirement, and an external one serving BZK and Financiën who attended no peer
    review (so the requirements check shows something)."""
    today = datetime.date.today()
    internal, _ = ConfidentialAdviser.objects.update_or_create(
        user=User.objects.get(username="adviser"),
        defaults={
            "kind": AdviserKind.INTERNAL,
            "home_organisation": organisations["bzk"],
            "themes": AdviserThemes.BOTH,
            "appointed_on": today - datetime.timedelta(days=365),
            "appointing_authority": "Secretaris-generaal BZK",
            "appointment_document": "BZK-2025-0042",
            "term_ends_on": today + datetime.timedelta(days=3 * 365),
            "hours_per_week": Decimal("8.0"),
            "basic_training_on": today - datetime.timedelta(days=300),
            "availability": "Maandag en donderdag, 9.00–17.00 uur",
            "phone": "070 123 45 67",
            "email": "vertrouwenspersoon@bzk.example",
            "is_active": True,
        },
    )
    internal.organisations_served.add(organisations["bzk"])
    if not internal.peer_reviews.filter(held_on__gte=today - datetime.timedelta(days=180)).exists():
        PeerReviewSession.objects.create(
            adviser=internal, held_on=today - datetime.timedelta(days=60)
        )
    external, _ = ConfidentialAdviser.objects.update_or_create(
        user=User.objects.get(username="adviser-ext"),
        defaults={
            "kind": AdviserKind.EXTERNAL,
            "home_organisation": None,
            "bureau": "Bureau Vertrouwen & Co",
            "themes": AdviserThemes.UNDESIRABLE_BEHAVIOUR,
            "appointed_on": today - datetime.timedelta(days=4 * 365 - 30),
            "appointing_authority": "Secretaris-generaal BZK",
            "appointment_document": "BZK-2022-0107",
            "term_ends_on": today + datetime.timedelta(days=30),
            "renewals": 1,
            "hours_per_week": Decimal("4.0"),
            "basic_training_on": today - datetime.timedelta(days=4 * 365),
            "availability": "Op afspraak, ook buiten kantoortijden",
            "phone": "030 765 43 21",
            "email": "x.extern@vertrouwen.example",
            "other_contact": "Videogesprek op afspraak",
            "is_active": True,
        },
    )
    external.organisations_served.add(organisations["bzk"], organisations["fin"])
