"""The integrity policy cycle (issue 12 §3; seed 001 §3.3: from the risks to the policy, goals
concrete enough to evaluate, and the evaluation): a policy per organisation and period with its
goals, adopted once; evaluations with a result per goal, the figures the system held beside it
(frozen), what changes, and follow-up actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation


class SystemFigure(models.TextChoices):
    """The figures the system already holds that a goal can be measured by."""

    REPORTS = "reports", _("Reports received (registry)")
    INVESTIGATIONS = "investigations", _("Investigations (registry)")
    ESTABLISHED = "established", _("Reports with an established violation (registry)")
    ACKNOWLEDGED_IN_TIME = (
        "acknowledged_in_time",
        _("Share of reports acknowledged within 7 days (registry)"),
    )
    FED_BACK_IN_TIME = (
        "fed_back_in_time",
        _("Share of reports fed back within 3 months (registry)"),
    )
    ADVISER_CONVERSATIONS = (
        "adviser_conversations",
        _("Conversations with confidential advisers (advisers' annual report)"),
    )


class GoalResult(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    NOT_MEASURABLE = "not_measurable", _("Could not be measured")


class IntegrityPolicy(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="integrity_policies"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    evaluation_due = models.DateField(_("evaluation planned on"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(
        _("adopted by"),
        max_length=200,
        blank=True,
        help_text=_("The function that adopted it, for instance the secretary-general."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "-pk"]

    def __str__(self) -> str:
        return self.title


class PolicyGoal(models.Model):
    policy = models.ForeignKey(IntegrityPolicy, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    indicator = models.CharField(
        _("indicator"),
        max_length=500,
        help_text=_("How you will know whether the goal is achieved."),
    )
    target = models.CharField(_("target"), max_length=300)
    system_figure = models.CharField(
        _("figure of the system beside it"),
        max_length=32,
        choices=SystemFigure.choices,
        blank=True,
    )
    measures = models.TextField(
        _("other measures that serve this goal"),
        max_length=5000,
        blank=True,
        help_text=_("Measures that are not in a risk analysis, such as a campaign."),
    )
    # The risks the goal addresses and the measures of the risk analyses that serve it.
    risks = models.ManyToManyField(
        "prevention.Risk", blank=True, related_name="policy_goals", verbose_name=_("risks")
    )
    analysis_measures = models.ManyToManyField(
        "prevention.Measure",
        blank=True,
        related_name="policy_goals",
        verbose_name=_("measures of the risk analyses"),
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class PolicyEvaluation(models.Model):
    policy = models.ForeignKey(
        IntegrityPolicy, on_delete=models.CASCADE, related_name="evaluations"
    )
    held_on = models.DateField(_("evaluated on"))
    conclusion = models.TextField(_("conclusion"), max_length=10000)
    next_evaluation_due = models.DateField(_("next evaluation planned on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.held_on}"


class GoalEvaluation(models.Model):
    evaluation = models.ForeignKey(
        PolicyEvaluation, on_delete=models.CASCADE, related_name="goal_results"
    )
    goal = models.ForeignKey(PolicyGoal, on_delete=models.CASCADE, related_name="results")
    result = models.CharField(_("result"), max_length=16, choices=GoalResult.choices)
    finding = models.TextField(_("what was achieved"), max_length=5000)
    change = models.TextField(_("what changes"), max_length=5000, blank=True)
    # The system's figure as shown beside the goal when it was evaluated: [[year, shown], ...].
    figures = models.JSONField(default=list)

    class Meta:
        ordering = ["goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="one_result_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.goal_id} {self.result}"


class PolicyAction(models.Model):
    evaluation = models.ForeignKey(
        PolicyEvaluation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(
        _("owner"), max_length=200, help_text=_("A function or a unit, for instance HR.")
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description
