"""Notifications in the application and the escalation of legal deadlines (issue 10).

A notification says only what kind of thing waits and for which case (by reference, in the
application only); its e-mail says even less (SECURITY.md): "something is waiting for you" and
a link. Escalation settings are per organisation; each escalation is recorded once per case,
deadline, due moment and level (EscalationLog), which makes the reminder run idempotent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report

from .constants import EscalatedDeadline, EscalationLevel, NotificationKind

USER = settings.AUTH_USER_MODEL


class Notification(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "report"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["user", "-created_at"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EscalationSettings(models.Model):
    """Per organisation, edited by its administrator. Without a row the defaults hold: both
    levels on, the organisation's competent authorities as the contact."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="escalation_settings",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalation contact"),
        help_text=_(
            "Hears when a legal deadline is about to pass. Empty: the organisation's "
            "competent authorities."
        ),
    )
    escalate_due_soon = models.BooleanField(
        _("escalate a deadline about to pass to the escalation contact"), default=True
    )
    escalate_overdue = models.BooleanField(
        _("escalate a deadline that has passed to the government-wide coordinator"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("escalation settings")
        verbose_name_plural = _("escalation settings")

    def __str__(self) -> str:
        return f"escalation settings of {self.organisation_id}"


class EscalationLog(models.Model):
    """One row per escalation sent: the unique key makes every run send it once."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    deadline = models.CharField(max_length=32, choices=EscalatedDeadline.choices)
    due_at = models.DateTimeField()
    level = models.CharField(max_length=16, choices=EscalationLevel.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "deadline", "due_at", "level"],
                name="one_escalation_per_deadline_and_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} {self.level} escalation of {self.report_id}"
