"""Choices of the integrity risk analysis (issue 12 §1; PREVENTION.md, IntoSAINT; seed 003)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Axis(models.TextChoices):
    LIKELIHOOD = "likelihood", _("Likelihood")
    IMPACT = "impact", _("Impact")


class AnalysisObject(models.TextChoices):
    """IntoSAINT step 1: what the analysis is about."""

    UNIT = "unit", _("An organisation unit")
    PROCESS = "process", _("A process")


class AnalysisStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ProcessArea(models.TextChoices):
    """The vulnerable processes and functions the public sector knows (seed 003)."""

    PROCUREMENT = "procurement", _("Procurement and contracting")
    PERMITS = "permits", _("Permits, subsidies and grants")
    CONFIDENTIAL_INFORMATION = "confidential_information", _("Confidential information")
    FINANCE = "finance", _("Finance and payments")
    INSPECTION = "inspection", _("Inspection and enforcement")
    PERSONNEL = "personnel", _("Personnel and appointments")
    OTHER = "other", _("Other")


class VulnerableActivity(models.TextChoices):
    """IntoSAINT step 2: the vulnerable activities."""

    COLLECTING = "collecting", _("Collecting (taxes, fees, fines)")
    CONTRACTING = "contracting", _("Contracting (procurement, tenders)")
    PAYING = "paying", _("Paying (invoices, allowances)")
    GRANTING = "granting", _("Granting (subsidies, permits)")
    PROVIDING_SERVICES = "providing_services", _("Providing services")
    REGULATING = "regulating", _("Regulating")
    INSPECTING = "inspecting", _("Inspecting and enforcing")


class VulnerableProperty(models.TextChoices):
    """IntoSAINT step 2: the vulnerable property."""

    INFORMATION = "information", _("Information")
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    REAL_ESTATE = "real_estate", _("Real estate")


class Factor(models.TextChoices):
    """IntoSAINT step 2: the five factors that raise vulnerability."""

    COMPLEXITY = "complexity", _("Complexity")
    CHANGE = "change", _("Change and dynamics")
    MANAGEMENT = "management", _("Management")
    PERSONNEL = "personnel", _("Personnel")
    HISTORY = "history", _("Problem history")


class FactorWeight(models.IntegerChoices):
    ABSENT = 0, _("Does not raise vulnerability")
    PRESENT = 1, _("Raises vulnerability")
    STRONG = 2, _("Raises vulnerability strongly")


class RiskSource(models.TextChoices):
    """Where a risk came from; the employees' questionnaire attaches here later (issue 12 §2)."""

    COORDINATOR = "coordinator", _("Entered by the coordinator")
    WORKSHOP = "workshop", _("Outcome of a workshop with employees")
    QUESTIONNAIRE = "questionnaire", _("Named by employees in the questionnaire")


class ScoreKind(models.TextChoices):
    INHERENT = "inherent", _("Before measures (inherent)")
    RESIDUAL = "residual", _("After measures (residual)")


class MeasureKind(models.TextChoices):
    SEPARATION_OF_DUTIES = "separation_of_duties", _("Separation of duties")
    FOUR_EYES = "four_eyes", _("Four-eyes principle")
    ROTATION = "rotation", _("Rotation")
    VOG = "vog", _("Designated function for a certificate of conduct (VOG)")
    SCREENING = "screening", _("Screening")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    """In place: an existing measure. Planned and in progress: not yet working. Retired: gives
    no credit in a residual score (PREVENTION.md)."""

    IN_PLACE = "in_place", _("Existing (in place)")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Being implemented")
    RETIRED = "retired", _("Retired")


class AcceptanceStatus(models.TextChoices):
    ACTIVE = "active", _("Accepted")
    ENDED = "ended", _("Ended")


class ReminderKind(models.TextChoices):
    REVIEW = "review", _("Review of a risk")
    ACCEPTANCE = "acceptance", _("End of a risk acceptance")
