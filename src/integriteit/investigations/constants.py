from django.db import models
from django.utils.translation import gettext_lazy as _


class StepRole(models.TextChoices):
    """Who completes a protocol step (RULES R12; seed 002 BIPO: clear roles)."""

    INVESTIGATOR = "investigator", _("Investigator")
    COMPETENT_AUTHORITY = "competent_authority", _("Competent authority")
    COORDINATOR = "coordinator", _("Integrity coordinator")


class InvestigatorKind(models.TextChoices):
    INTERNAL = "internal", _("Internal investigator")
    EXTERNAL = "external", _("External investigation bureau")


class IntervieweeRole(models.TextChoices):
    SUBJECT = "subject", _("Subject (beklagde)")
    WITNESS = "witness", _("Witness")


class ReportVersionKind(models.TextChoices):
    DRAFT = "draft", _("Draft report")
    FINAL = "final", _("Final report")


class StepState(models.TextChoices):
    LOCKED = "locked", _("Not open yet")
    OPEN = "open", _("Open")
    DEFERRED = "deferred", _("Deferred with approval")
    COMPLETED = "completed", _("Completed")
