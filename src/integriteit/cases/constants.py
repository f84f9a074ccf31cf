from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseRole(models.TextChoices):
    """Roles a person holds on one case (seed 002; SYSTEM.md table)."""

    HANDLER = "handler", _("Handler (integrity coordinator)")
    PROCESS_GUIDE = "process_guide", _("Process guide (procesbegeleider)")
    INVESTIGATOR = "investigator", _("Investigator (onderzoeker)")
    COMPETENT_AUTHORITY = "competent_authority", _("Competent authority (bevoegd gezag)")


class AssignmentRefusal(models.TextChoices):
    """Why a person cannot take a role on a case; callers pick reasons by code, never by
    comparing the translated text."""

    EXCLUDED = "excluded", _("This person is excluded from the case.")
    NAMED = "named", _("This person is named in the report.")
    CONFLICT = "conflict", _("This person declared a conflict of interest with someone named.")
    SUBJECTS_UNIT = "subjects_unit", _("An investigator may not work in the subject's unit.")
    ALREADY_ASSIGNED = "already_assigned", _("This person already has this role on the case.")
    NO_ORGANISATION_ROLE = (
        "no_organisation_role",
        _("This person does not hold this role in the organisation."),
    )


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    IMMEDIATE = "immediate", _("Immediate action needed")


class FollowUpRoute(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    MEDIATION = "mediation", _("Conversation or mediation")
    REFERRAL = "referral", _("Referral")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")


class ReferralTarget(models.TextChoices):
    """Where a report can be referred (seed 002: RABA; RULES R6)."""

    RABA = "raba", _("Labour-law helpdesk (RABA)")
    POLICE = "police", _("Police or Public Prosecution Service")
    WHISTLEBLOWERS_AUTHORITY = (
        "whistleblowers_authority",
        _("Whistleblowers Authority (Huis voor Klokkenluiders)"),
    )
    OTHER_ORGANISATION = "other_organisation", _("Another organisation")


class ConflictCheckItem(models.TextChoices):
    """The conflict-of-interest checklist of the intake (seed 001 §3.5)."""

    HANDLERS_NOT_INVOLVED = (
        "handlers_not_involved",
        _("No handler is named in the report or related to those named"),
    )
    HANDLERS_NOT_IN_LINE = "handlers_not_in_line", _("No handler is in the line of those named")
    AUTHORITY_INDEPENDENT = "authority_independent", _("The competent authority is not involved")
    REPORTER_PROTECTED = (
        "reporter_protected",
        _("Who knows the reporter's identity is recorded and necessary"),
    )


class SubjectInformedHow(models.TextChoices):
    IN_PERSON = "in_person", _("In a conversation")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By e-mail")
    NOT_YET = "not_yet", _("Not yet (with reason)")


class FeedbackKind(models.TextChoices):
    INTERIM = "interim", _("Interim feedback")
    FINAL = "final", _("Final feedback")


class AftercareAudience(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    SUBJECT = "subject", _("Subject")
    WITNESS = "witness", _("Witnesses")
    TEAM = "team", _("Team")


class HearingForm(models.TextChoices):
    WRITTEN = "written", _("In writing")
    ORAL = "oral", _("Orally")
    BOTH = "both", _("In writing and orally")


class OrderMeasureKind(models.TextChoices):
    """Order measures during an investigation (RULES R11)."""

    BAR = "bar", _("Bar from the workplace")
    SUSPENSION = "suspension", _("Suspension")


class ReminderKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement due")
    INTERIM_FEEDBACK = "interim_feedback", _("Interim feedback due")
    FINAL_FEEDBACK = "final_feedback", _("Final feedback due")
    AFTERCARE = "aftercare", _("Aftercare action due")
    EVALUATION = "evaluation", _("Evaluation open")
