"""The register of side activities and financial interests (RULES R16; Ambtenarenwet art. 5
and 8; seed 003: "functies aangewezen waarvan de nevenfunctie en/of financiële belangen moeten
worden gemeld"), and the oath or affirmation taken per person.

A declaration is never overwritten silently: every change (saved, submitted, assessed,
re-confirmed, withdrawn) adds a `SideActivityVersion` with the declaration as it then was. The
description of a financial interest is personal text and sealed under the row's own data key
(SECURITY.md "Keys"; crypto.holders).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation

USER = settings.AUTH_USER_MODEL


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ASSESSED = "assessed", _("Assessed")


class Decision(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    ALLOWED_WITH_CONDITIONS = "allowed_with_conditions", _("Allowed with conditions")
    NOT_ALLOWED = "not_allowed", _("Not allowed")


# Decisions under which a side activity may be carried out (and so, in a designated function
# with publication duty, is published).
PERMITTING = (Decision.ALLOWED, Decision.ALLOWED_WITH_CONDITIONS)


class InterestKind(models.TextChoices):
    FINANCIAL_INTEREST = "financial_interest", _("Financial interest")
    SECURITIES = "securities", _("Securities")


class OathKind(models.TextChoices):
    OATH = "oath", _("Oath")
    AFFIRMATION = "affirmation", _("Affirmation")


class DesignatedFunction(models.Model):
    """A function the organisation designated (Ambtenarenwet art. 5 and 8): whether its
    holders' side activities are published and whether they declare financial interests."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="designated_functions",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("function"), max_length=200)
    publish_side_activities = models.BooleanField(_("side activities are published"), default=True)
    declare_financial_interests = models.BooleanField(
        _("financial interests must be declared"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="prevention_function_unique_name"
            )
        ]
        verbose_name = _("designated function")
        verbose_name_plural = _("designated functions")

    def __str__(self) -> str:
        return self.name


class FunctionAssignment(models.Model):
    """Who holds a designated function, from when until when (open-ended when no end)."""

    function = models.ForeignKey(
        DesignatedFunction, on_delete=models.PROTECT, related_name="assignments"
    )
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="designated_functions")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["function__name", "-starts_on", "pk"]
        indexes = [models.Index(fields=["person", "starts_on"], name="prevention_assign_person")]

    def __str__(self) -> str:
        return f"{self.person} – {self.function}"


class SideActivity(models.Model):
    """A side activity declared by an official, and its assessment by the manager."""

    official = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="side_activities")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="side_activities"
    )
    function = models.ForeignKey(
        DesignatedFunction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="side_activities",
        verbose_name=_("designated function"),
    )
    description = models.TextField(_("side activity"), max_length=1000)
    employer = models.CharField(_("organisation where the activity takes place"), max_length=200)
    paid = models.BooleanField(_("paid"), default=False)
    hours_per_month = models.DecimalField(
        _("hours per month"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set on submission and on every re-confirmation: a declaration confirmed longer ago than
    # the re-confirmation period is due (prevention.reminders).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=32, choices=Decision.choices, blank=True)
    conditions = models.TextField(_("conditions"), max_length=2000, blank=True)
    reasons = models.TextField(_("reasons"), max_length=2000, blank=True)
    assessed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="prevention_decl_org_status"),
            models.Index(fields=["official", "status"], name="prevention_decl_official"),
            models.Index(fields=["confirmed_at"], name="prevention_decl_confirmed"),
        ]
        verbose_name = _("side activity")
        verbose_name_plural = _("side activities")

    def __str__(self) -> str:
        return f"{self.official} – {self.employer}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SideActivityVersion(models.Model):
    """The declaration as it was after one event; the history shown with it."""

    declaration = models.ForeignKey(SideActivity, on_delete=models.CASCADE, related_name="history")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=16)
    snapshot = models.JSONField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["declaration", "pk"]

    def __str__(self) -> str:
        return f"{self.declaration_id} v{self.number} {self.event}"


class FinancialInterest(models.Model):
    """A financial interest or securities of a designated official. The description is sealed
    (crypto.holders: a key per row) and read only by the official, her assessing manager and the
    organisation's integrity coordinator."""

    official = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="financial_interests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="financial_interests"
    )
    function = models.ForeignKey(
        DesignatedFunction, on_delete=models.PROTECT, related_name="financial_interests"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=InterestKind.choices)
    sealed_description = models.BinaryField(default=b"")
    wrapped_key = models.BinaryField(default=b"")
    kek_version = models.CharField(max_length=32, blank=True, default="")
    declared_on = models.DateField(_("declared on"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.official} – {self.get_kind_display()}"

    def owner(self) -> str:
        return f"financialinterest:{self.pk}"


class OathRecord(models.Model):
    """The oath or affirmation a person took (Ambtenarenwet; RULES R16)."""

    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="oaths")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="oaths")
    kind = models.CharField(_("oath or affirmation"), max_length=16, choices=OathKind.choices)
    taken_on = models.DateField(_("taken on"))
    taken_before = models.CharField(_("taken before"), max_length=200)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_kind_display()} {self.taken_on}"


class ReconfirmationReminder(models.Model):
    """A reminder sent that a declaration is due for re-confirmation: the key (declaration, the
    day it became due) makes `send_reminders` idempotent."""

    declaration = models.ForeignKey(
        SideActivity, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "due_on"], name="prevention_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.due_on}"
