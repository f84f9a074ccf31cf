"""The integrity coordinator's position in the organisation (seed 001 §3.4): strong (enough time,
a team, tasks laid down) and independent (direct access to the top without anyone's approval).
Each recorded situation is kept; the latest by date is the current one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation


class Placement(models.TextChoices):
    UNDER_THE_TOP = "under_the_top", _("Directly under the top of the civil service")
    IN_THE_LINE = "in_the_line", _("In the line (for instance within HR)")
    ELSEWHERE = "elsewhere", _("Elsewhere")


class CoordinatorPosition(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coordinator_positions"
    )
    valid_from = models.DateField(_("situation as of"))
    hours_per_week = models.DecimalField(
        _("hours per week for the role"), max_digits=3, decimal_places=1
    )
    team_fte = models.DecimalField(
        _("team beside the coordinator (fte)"), max_digits=4, decimal_places=1, default=0
    )
    placement = models.CharField(_("placement"), max_length=16, choices=Placement.choices)
    direct_access = models.BooleanField(
        _("may go to the highest civil servant directly, on own initiative, without approval"),
        default=False,
    )
    may_convene = models.BooleanField(
        _("has the authority to call all relevant parties together"), default=False
    )
    tasks_laid_down = models.BooleanField(
        _("tasks and mandate are formally laid down"), default=False
    )
    mandate_reference = models.CharField(
        _("where they are laid down"),
        max_length=200,
        blank=True,
        help_text=_("For instance the decision's title and date."),
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="one_position_per_organisation_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.valid_from}"
