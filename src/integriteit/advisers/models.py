"""The register of confidential advisers, their conversation logs (without names), annual
reports with recommendations and follow-up, and conversation rooms (issue 5; seeds 002, 004;
seed 001 §3.7 and norms 10–12)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation, Unit

from .constants import AdviserKind, AdviserThemes, ConversationTheme, RequirementKind

USER = settings.AUTH_USER_MODEL


class ConfidentialAdviser(models.Model):
    user = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="adviser")
    kind = models.CharField(_("internal or external"), max_length=16, choices=AdviserKind.choices)
    home_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bureau = models.CharField(_("bureau (external advisers)"), max_length=200, blank=True)
    organisations_served = models.ManyToManyField(
        Organisation, related_name="confidential_advisers", verbose_name=_("organisations served")
    )
    themes = models.CharField(_("themes"), max_length=32, choices=AdviserThemes.choices)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    appointing_authority = models.CharField(_("appointing authority"), max_length=200, blank=True)
    appointment_document = models.CharField(
        _("appointment decision (reference)"), max_length=200, blank=True
    )
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("times renewed"), default=0)
    hours_per_week = models.DecimalField(
        _("hours per week granted"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    basic_training_on = models.DateField(_("basic training completed on"), null=True, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    other_contact = models.CharField(_("other contact options"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("confidential adviser")
        verbose_name_plural = _("confidential advisers")

    def __str__(self) -> str:
        return str(self.user)


class PeerReviewSession(models.Model):
    adviser = models.ForeignKey(
        ConfidentialAdviser, on_delete=models.CASCADE, related_name="peer_reviews"
    )
    held_on = models.DateField(_("held on"))

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"intervisie {self.held_on}"


class BasicRequirement(models.Model):
    """The configurable set of basic requirements every adviser is checked against."""

    kind = models.CharField(max_length=32, choices=RequirementKind.choices, unique=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ConversationLogEntry(models.Model):
    """One line of an adviser's log: never a name. Free text is sealed under the entry's own data
    key and read only by its author (SECURITY.md; issue 5 §3)."""

    adviser = models.ForeignKey(ConfidentialAdviser, on_delete=models.PROTECT, related_name="log")
    held_on = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=32, choices=ConversationTheme.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conversations = models.PositiveSmallIntegerField(_("number of conversations"), default=1)
    referrals = models.JSONField(_("referrals"), default=list, blank=True)
    report_followed = models.BooleanField(_("a formal report followed"), default=False)
    wrapped_key = models.BinaryField(null=True, blank=True)
    kek_version = models.CharField(max_length=16, blank=True)
    sealed_notes = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return f"log {self.pk}"


class AnnualReport(models.Model):
    """The advisers' annual report for an organisation (seed 004; seed 001 §3.7 norm 12).

    Its recommendations, the responses and the follow-up actions are free text about the
    organisation's people and cases: sealed under the report's own data key (ADR 0013)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="adviser_reports"
    )
    year = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_to_authority_at = models.DateTimeField(null=True, blank=True)
    wrapped_key = models.BinaryField(null=True, blank=True)
    kek_version = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_adviser_report_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Recommendation(models.Model):
    annual_report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="recommendations"
    )
    sealed_text = models.BinaryField()
    sealed_response = models.BinaryField(null=True, blank=True)
    responded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recommendation {self.pk}"


class FollowUpAction(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    sealed_description = models.BinaryField()
    sealed_owner = models.BinaryField()
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"follow-up action {self.pk}"


class InterimSignal(models.Model):
    """An urgent trend raised to the competent authority at any time (seed 001 §3.7); its text
    and the response are sealed under the signal's own data key (ADR 0013)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    wrapped_key = models.BinaryField(null=True, blank=True)
    kek_version = models.CharField(max_length=16, blank=True)
    sealed_text = models.BinaryField()
    sealed_response = models.BinaryField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"signal {self.pk}"


class ConversationRoom(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="conversation_rooms"
    )
    location = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    notes = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.location})"


class RoomBooking(models.Model):
    """A booked slot: the adviser and the time, never who the conversation is with."""

    room = models.ForeignKey(ConversationRoom, on_delete=models.CASCADE, related_name="bookings")
    adviser = models.ForeignKey(
        ConfidentialAdviser, on_delete=models.CASCADE, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"
