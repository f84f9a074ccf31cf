from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.reports.constants import ViolationTypeCode


class AdviserKind(models.TextChoices):
    """Seed 002: a mix of internal and external advisers; external = from another organisation."""

    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class AdviserThemes(models.TextChoices):
    INTEGRITY = "integrity", _("Integrity")
    UNDESIRABLE_BEHAVIOUR = "undesirable_behaviour", _("Undesirable behaviour")
    BOTH = "both", _("Integrity and undesirable behaviour")


# The log's own label where the nine types meet the subtypes listed after them.
_THEME_LABELS = {ViolationTypeCode.BEHAVIOUR: _("Undesirable behaviour (other)")}

# The themes of the conversation log (issue 5 §3): the nine violation types (seed 001 §2.1),
# taken from their one definition in reports.constants, then subtypes of undesirable behaviour,
# labour-law conflicts, other. (django-stubs types only the one-name functional form.)
ConversationTheme = models.TextChoices(  # type: ignore[call-overload]
    "ConversationTheme",
    [(t.name, (t.value, _THEME_LABELS.get(t, t.label))) for t in ViolationTypeCode]
    + [
        ("SEXUAL_HARASSMENT", ("sexual_harassment", _("Sexual harassment"))),
        ("AGGRESSION", ("aggression", _("Aggression and violence"))),
        ("DISCRIMINATION", ("discrimination", _("Discrimination"))),
        ("BULLYING", ("bullying", _("Bullying"))),
        ("LABOUR_CONFLICT", ("labour_conflict", _("Labour-law conflict"))),
        ("OTHER", ("other", _("Other"))),
    ],
)


class Referral(models.TextChoices):
    """Where an adviser refers (seed 002, seed 004 §6, SYSTEM.md module 6)."""

    RABA = "raba", _("Labour-law helpdesk (RABA)")
    DISPUTES_COMMITTEE = "disputes_committee", _("Disputes Committee (Geschillencommissie Rijk)")
    COMPANY_DOCTOR = "company_doctor", _("Company doctor")
    SOCIAL_WORK = "social_work", _("Company social work")
    VERTROUWENSLIJN = "vertrouwenslijn", _("Vertrouwenslijn")
    WHISTLEBLOWERS_AUTHORITY = (
        "whistleblowers_authority",
        _("Whistleblowers Authority (Huis voor Klokkenluiders)"),
    )
    OMBUDSMAN = "ombudsman", _("National Ombudsman")
    POLICE = "police", _("Police")
    INTEGRITY_COORDINATOR = "integrity_coordinator", _("Integrity coordinator (report)")


class RequirementKind(models.TextChoices):
    """How a basic requirement is checked against the register (seed 002: uniform basic
    requirements; seed 004: appointment, term, training, peer review)."""

    FORMAL_APPOINTMENT = "formal_appointment", _("Formally appointed (document, date, authority)")
    TERM_VALID = "term_valid", _("Appointment term not lapsed")
    BASIC_TRAINING = "basic_training", _("Basic training completed")
    PEER_REVIEW = "peer_review", _("Peer review (intervisie) in the last 12 months")
    HOURS = "hours", _("Hours per week granted")
    CONTACT = "contact", _("Reachable through at least one contact channel")
