"""The integrity risk analysis (issue 12 §1; PREVENTION.md; SYSTEM.md module 7).

- A risk matrix is data: a version with a likelihood and an impact scale of labelled steps, and
  a grid that maps (likelihood, impact) to a level; each level carries its treatment expectation
  and its review interval. A matrix that was used for a score is never changed: a change is a
  new version (`services.derive_matrix`). The default 5×5 matrix comes with the data migration;
  an organisation can have its own versions.
- An analysis per organisation (and unit) and year holds processes with their IntoSAINT
  vulnerability profile, the risks per process and the measures, linked to the risks.
- A score stores the matrix version, the steps and the level looked up (with its treatment and
  interval), so it keeps the grid it was made with when the matrix changes later.
- A snapshot is a frozen JSON copy of the analysis; nothing writes it afterwards.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation, Unit

from ..constants_analyses import (
    AcceptanceStatus,
    AnalysisObject,
    AnalysisStatus,
    Axis,
    FactorWeight,
    MeasureKind,
    MeasureStatus,
    ProcessArea,
    ReminderKind,
    RiskSource,
    ScoreKind,
)

USER = settings.AUTH_USER_MODEL


class RiskMatrix(models.Model):
    """A version of a risk matrix. `organisation` empty: the default matrix for everyone."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_matrices",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="one_matrix_version_per_org"
            ),
            models.UniqueConstraint(
                fields=["name", "version"],
                condition=Q(organisation__isnull=True),
                name="one_default_matrix_version",
            ),
        ]
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class MatrixStep(models.Model):
    """One labelled step of the likelihood or the impact scale (1 is the lowest)."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="steps")
    axis = models.CharField(max_length=16, choices=Axis.choices)
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["axis", "value"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "axis", "value"], name="one_step_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.axis} {self.value}: {self.label}"


class MatrixLevel(models.Model):
    """A risk level of a matrix, with what it asks (treatment) and how often it is reviewed."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(max_length=32)
    name = models.CharField(max_length=80)
    rank = models.PositiveSmallIntegerField(help_text="1 is the lowest level.")
    treatment = models.TextField()
    review_days = models.PositiveIntegerField()
    colour = models.CharField(max_length=7, default="#ffffff")  # a light fill, black text on it

    class Meta:
        ordering = ["matrix", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "code"], name="one_level_per_code"),
            models.UniqueConstraint(fields=["matrix", "rank"], name="one_level_per_rank"),
        ]

    def __str__(self) -> str:
        return self.name


class MatrixCell(models.Model):
    """The grid: (likelihood, impact) → level. Not necessarily likelihood × impact."""

    matrix = models.ForeignKey(RiskMatrix, on_delete=models.CASCADE, related_name="cells")
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    level = models.ForeignKey(MatrixLevel, on_delete=models.CASCADE, related_name="cells")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "likelihood", "impact"], name="one_cell_per_step_pair"
            )
        ]

    def __str__(self) -> str:
        return f"({self.likelihood}, {self.impact}) → {self.level_id}"


class Analysis(models.Model):
    """An integrity risk analysis of an organisation (unit) in a year (IntoSAINT step 1)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="risk_analyses"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_analyses"
    )
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    object_kind = models.CharField(
        max_length=16, choices=AnalysisObject.choices, default=AnalysisObject.UNIT
    )
    object_description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=AnalysisStatus.choices, default=AnalysisStatus.DRAFT
    )
    analysed_on = models.DateField()
    matrix = models.ForeignKey(RiskMatrix, on_delete=models.PROTECT, related_name="analyses")
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followers"
    )
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "title", "pk"]
        indexes = [models.Index(fields=["organisation", "-year"], name="analysis_org_year")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Process(models.Model):
    """A process of the analysed unit with its vulnerability profile (IntoSAINT step 2): the
    vulnerable activities and property it involves, and the five factors raising it."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=32, choices=ProcessArea.choices, default=ProcessArea.OTHER)
    description = models.TextField(blank=True)
    activities = models.JSONField(default=list, blank=True)  # VulnerableActivity values
    properties = models.JSONField(default=list, blank=True)  # VulnerableProperty values
    complexity = models.PositiveSmallIntegerField(
        choices=FactorWeight.choices, default=FactorWeight.ABSENT
    )
    change = models.PositiveSmallIntegerField(
        choices=FactorWeight.choices, default=FactorWeight.ABSENT
    )
    management = models.PositiveSmallIntegerField(
        choices=FactorWeight.choices, default=FactorWeight.ABSENT
    )
    personnel = models.PositiveSmallIntegerField(
        choices=FactorWeight.choices, default=FactorWeight.ABSENT
    )
    history = models.PositiveSmallIntegerField(
        choices=FactorWeight.choices, default=FactorWeight.ABSENT
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["analysis", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def factor_total(self) -> int:
        return self.complexity + self.change + self.management + self.personnel + self.history

    @property
    def is_vulnerable(self) -> bool:
        """Inherently vulnerable: a vulnerable activity or property is involved."""
        return bool(self.activities or self.properties)


class Risk(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    source = models.CharField(
        max_length=16, choices=RiskSource.choices, default=RiskSource.COORDINATOR
    )
    # The next review, from the interval of the level of its current score (or a review).
    review_on = models.DateField(null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["process", "title", "pk"]
        indexes = [models.Index(fields=["review_on"], name="risk_review_on")]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """A measure of the analysis, linked to the risks it serves (as they are now)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="measures")
    risks = models.ManyToManyField(Risk, related_name="measures", blank=True)
    kind = models.CharField(max_length=32, choices=MeasureKind.choices)
    description = models.CharField(max_length=300)
    status = models.CharField(
        max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["analysis", "kind", "description", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def gives_credit(self) -> bool:
        return self.status == MeasureStatus.IN_PLACE


class Score(models.Model):
    """A score of a risk on a matrix version, before or after measures. It stores everything of
    the grid it used (version, steps and their labels, the level with its treatment and
    interval): a later matrix version does not change it. The current score of a kind is the
    latest; earlier ones are the history."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="scores")
    kind = models.CharField(max_length=16, choices=ScoreKind.choices)
    matrix = models.ForeignKey(RiskMatrix, on_delete=models.PROTECT, related_name="scores")
    matrix_name = models.CharField(max_length=120)
    matrix_version = models.PositiveIntegerField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    likelihood_label = models.CharField(max_length=120)
    impact_label = models.CharField(max_length=120)
    level_code = models.SlugField(max_length=32)
    level_name = models.CharField(max_length=80)
    level_rank = models.PositiveSmallIntegerField()
    treatment = models.TextField()
    review_days = models.PositiveIntegerField()
    # A residual score credits the measures in place at scoring; one retired later voids it.
    credited = models.ManyToManyField(Measure, related_name="credited_in", blank=True)
    scored_on = models.DateField(default=timezone.localdate)
    scored_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["risk", "kind", "-created_at", "-pk"]
        indexes = [models.Index(fields=["risk", "kind", "-created_at"], name="score_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.likelihood}×{self.impact} {self.level_code}"


class Acceptance(models.Model):
    """A remaining risk accepted explicitly: who decided, why, until when. When `until` comes
    the risk is due for review again (and one reminder goes)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="acceptances")
    decided_by = models.CharField(max_length=200)
    reason = models.TextField()
    until = models.DateField()
    level_code = models.SlugField(max_length=32, blank=True)  # the level accepted
    level_name = models.CharField(max_length=80, blank=True)
    status = models.CharField(
        max_length=16, choices=AcceptanceStatus.choices, default=AcceptanceStatus.ACTIVE
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["risk", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["status", "until"], name="acceptance_due")]

    def __str__(self) -> str:
        return f"acceptance of {self.risk_id} until {self.until}"


class Review(models.Model):
    """A review of a risk: what was found, and the next review date it set."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(default=timezone.localdate)
    note = models.TextField(blank=True)
    next_review_on = models.DateField()
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["risk", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"review of {self.risk_id} on {self.reviewed_on}"


class Snapshot(models.Model):
    """A frozen copy of an analysis (its processes, risks, scores, measures, acceptances) as it
    was when taken; written once."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="snapshots")
    label = models.CharField(max_length=120)
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    data = models.JSONField()

    class Meta:
        ordering = ["analysis", "-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"snapshot {self.label} of {self.analysis_id}"


class RiskReminder(models.Model):
    """One row per reminder sent (a review due, an acceptance ending): the unique key makes the
    reminder run idempotent, like cases.ReminderLog."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "due_on"], name="one_risk_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.object_id} due {self.due_on}"
