"""The advisers' part of the demo (accounts.demo, registered from apps.py)."""

import datetime
from decimal import Decimal

from integriteit.accounts.demo import DemoContext, signed_in
from integriteit.accounts.models import User
from integriteit.organisations.models import Organisation, Unit

from . import log
from .constants import AdviserKind, AdviserThemes, Referral
from .models import ConfidentialAdviser, ConversationLogEntry, PeerReviewSession


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


# The internal adviser's conversation log: (days ago, theme, conversations, referrals, a report
# followed, notes). Never a name in it (issue 5 §3); the notes are sealed for the adviser alone.
LOG = [
    (75, "bullying", 3, [Referral.SOCIAL_WORK], False, "Steeds buitengesloten bij overleg."),
    (40, "financial", 1, [Referral.INTEGRITY_COORDINATOR], True, ""),
    (21, "labour_conflict", 2, [Referral.RABA], False, "Vraag over overplaatsing na ziekte."),
    (6, "sexual_harassment", 1, [], False, "Eerste gesprek; wil nadenken over vervolgstappen."),
]


def load_log(context: DemoContext) -> list[str]:
    """Demo content (only `manage.py load_demo`): the internal adviser's log, written through
    the log's service as the adviser would. Loaded once: an adviser with entries is left as
    they are."""
    user = context.people["adviser"]
    if not ConversationLogEntry.objects.filter(adviser__user=user).exists():
        signed_in(user)
        bzk = context.organisations["bzk"]
        unit = Unit.objects.filter(organisation=bzk, name="Team Integriteit en Ethiek").first()
        today = datetime.date.today()
        for days_ago, theme, conversations, referrals, followed, notes in LOG:
            log.record_conversation(
                user,
                log.LogInput(
                    held_on=today - datetime.timedelta(days=days_ago),
                    theme=theme,
                    organisation=bzk,
                    unit=unit,
                    conversations=conversations,
                    referrals=[str(referral) for referral in referrals],
                    report_followed=followed,
                    notes=notes,
                ),
            )
    return ["", "Conversation log of confidential adviser 'adviser': /vertrouwenspersonen/logboek/"]
