"""The employees' input to a risk analysis (issue 12 §2; seed 001 §3.3: employees know the real
risks best): an anonymous questionnaire, or the outcome of a workshop entered by the coordinator.

Anonymity is in the tables. An invitation is a digest of a one-time code and whether it was
used: no recipient, no time. An answer has a random id, no time and no reference to an
invitation, so no row tells which invitation an answer came from or when it was given. Its free
texts are sealed under the questionnaire's own data key."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .risks import Analysis


class Questionnaire(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="questionnaires")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction for the employees"), max_length=2000, blank=True
    )
    closes_on = models.DateField(_("open until"))
    # Answers are shown only once at least this many have come in (FIGURES_MIN_CELL by default).
    min_group = models.PositiveSmallIntegerField(_("smallest group shown"))
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    wrapped_key = models.BinaryField(null=True, blank=True)
    kek_version = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def owner(self) -> str:
        return f"prevention.questionnaire:{self.pk}"

    @property
    def is_open(self) -> bool:
        return (
            self.opened_at is not None
            and self.closed_at is None
            and self.closes_on >= timezone.localdate()
        )

    @property
    def status(self) -> str:
        if self.opened_at is None:
            return "draft"
        return "open" if self.is_open else "closed"


class Invitation(models.Model):
    """One invitation link. Deliberately without recipient, creation or use time."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.questionnaire_id} {'used' if self.used else 'unused'}"


class QuestionnaireAnswer(models.Model):
    """One employee's answer. Deliberately without time, order or invitation: a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    activities = models.JSONField(default=list)  # constants_analyses.VulnerableActivity
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    sealed_risk = models.BinaryField()
    sealed_measure = models.BinaryField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.id)


class Workshop(models.Model):
    """The outcome of a workshop with employees (IntoSAINT's moderated session), entered by the
    coordinator; the risks it named are added to the analysis with the source "workshop"."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="workshops")
    held_on = models.DateField(_("held on"))
    participants = models.PositiveSmallIntegerField(_("number of participants"))
    outcome = models.TextField(
        _("outcome"),
        max_length=10000,
        help_text=_("The risks and measures the participants named. No names of people."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.analysis_id} {self.held_on}"
