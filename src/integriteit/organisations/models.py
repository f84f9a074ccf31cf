from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Sector


class Organisation(models.Model):
    """A ministry, agency or other public body: the owner of reports and cases."""

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in /melden/<slug>/."))
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    # Defensie has its own integrity system outside BZK's coordination (seed 001, note 1).
    outside_bzk_coordination = models.BooleanField(_("outside BZK coordination"), default=False)
    is_active = models.BooleanField(_("accepts reports"), default=True)
    # RULES R9 (configurable): personal data removed this many years after closure.
    retention_years = models.PositiveSmallIntegerField(
        _("retention of personal data (years after closure)"), default=5
    )
    # Seed 004 §6 and seed 002: the reporter is never left without news.
    interim_feedback_weeks = models.PositiveSmallIntegerField(
        _("interim feedback every (weeks)"), default=4
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A directorate, department or team; units nest, which gives the line of management."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        unique_together = [("organisation", "name")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.abbreviation or self.organisation.name})"

    def clean(self) -> None:
        """The tree of SYSTEM.md module 1 (sector → organisation → units): a unit's parent is a
        unit of the same organisation and never the unit itself or one below it. The line of
        management (`ancestors_and_self`, the route around the line of seed 000) follows the
        parents, so a parent elsewhere would route a report past another organisation's
        managers."""
        if self.parent_id is None:
            return
        parent = self.parent
        if parent is not None and parent.organisation_id != self.organisation_id:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        _("The parent unit must belong to the same organisation."),
                        code="parent_in_other_organisation",
                    )
                }
            )
        if self.pk is not None and parent is not None and self in parent.ancestors_and_self():
            raise ValidationError(
                {
                    "parent": ValidationError(
                        _("A unit cannot be placed under itself or a unit below it."),
                        code="parent_cycle",
                    )
                }
            )

    def ancestors_and_self(self) -> list["Unit"]:
        """This unit and every unit above it, nearest first; stops at a loop (a parent chain
        that `clean` would have refused but the database does not)."""
        chain: list[Unit] = []
        unit: Unit | None = self
        while unit is not None and unit not in chain:
            chain.append(unit)
            unit = unit.parent
        return chain
