from django.db import models
from django.utils.translation import gettext_lazy as _


class AdviserKind(models.TextChoices):
    """Seed 002: a mix of internal and external advisers; external = from another organisation."""

    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class AdviserThemes(models.TextChoices):
    INTEGRITY = "integrity", _("Integrity")
    UNDESIRABLE_BEHAVIOUR = "undesirable_behaviour", _("Undesirable behaviour")
    BOTH = "both", _("Integrity and undesirable behaviour")


class ConversationTheme(models.TextChoices):
    """The themes of the conversation log (issue 5 §3): the nine violation types (seed 001
    §2.1), subtypes of undesirable behaviour, labour-law conflicts, other."""

    FINANCIAL = "financial", _("Financial violations")
    POSITION = "position", _("Misuse of position and conflict of interest")
    INFORMATION = (
        "information",
        _("Leaking, misusing, withholding or improperly handling information"),
    )
    COMMUNICATION = "communication", _("Inappropriate communication")
    POWERS = "powers", _("Misuse of powers")
    FORCE = "force", _("Misuse of the power to use force")
    BEHAVIOUR = "behaviour", _("Undesirable behaviour (other)")
    RESOURCES = "resources", _("Misuse of company resources and breach of rules")
    PRIVATE_LIFE = "private_life", _("Inappropriate conduct in private life")
    SEXUAL_HARASSMENT = "sexual_harassment", _("Sexual harassment")
    AGGRESSION = "aggression", _("Aggression and violence")
    DISCRIMINATION = "discrimination", _("Discrimination")
    BULLYING = "bullying", _("Bullying")
    LABOUR_CONFLICT = "labour_conflict", _("Labour-law conflict")
    OTHER = "other", _("Other")


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
