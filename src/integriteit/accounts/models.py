from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.access.seals import role_assignment_seal
from integriteit.organisations.models import Organisation, Unit

from .constants import Role


class User(AbstractUser):
    """A person with an account: staff of an organisation. Reporters need no account."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("unit"),
        help_text=_("Where this person works; used to find the line above them."),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """A role a person holds in an organisation (a manager's also names the unit they lead)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit led"),
        help_text=_("For managers: the unit they lead."),
    )
    # A keyed MAC over user, organisation, role and unit, checked wherever access is decided:
    # a row written to the database without the key gives nothing (docs/decisions/0012).
    seal = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        unique_together = [("user", "organisation", "role", "unit")]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def save(self, *args, **kwargs) -> None:
        """Every write through the ORM (services, the demo loader, the admin inline) seals the
        row; bulk_create and update() do not, so nothing may write role rows with them."""
        self.seal = role_assignment_seal(
            self.user_id, self.organisation_id, self.role, self.unit_id
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "seal"}
        super().save(*args, **kwargs)
