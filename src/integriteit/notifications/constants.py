from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification says is waiting: never more (SECURITY.md: no contents)."""

    NEW_REPORT = "new_report", _("A new report is waiting for you")
    REPORTER_MESSAGE = "reporter_message", _("The reporter wrote in the mailbox")
    ASSIGNED = "assigned", _("You were assigned to a case")
    DECISION_WAITING = "decision_waiting", _("A decision is waiting for you")
    DEVIATION_WAITING = (
        "deviation_waiting",
        _("A deviation from the protocol waits for your approval"),
    )
    RECORD_WAITING = "record_waiting", _("An interview record waits for your approval")
    DRAFT_RESPONSE_WAITING = (
        "draft_response_waiting",
        _("A draft investigation report waits for the subject's response"),
    )
    ANNUAL_REPORT_WAITING = (
        "annual_report_waiting",
        _("The confidential advisers' annual report waits for your response"),
    )
    ESCALATION_NEAR = "escalation_near", _("A legal deadline of a case is about to pass")
    ESCALATION_OVERDUE = "escalation_overdue", _("A legal deadline of a case has passed")


class EscalationLevel(models.TextChoices):
    CONTACT = "contact", _("Escalation contact (deadline about to pass)")
    GOVERNMENT = "government", _("Government-wide coordinator (deadline passed)")


class EscalatedDeadline(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt (RULES R3)")
    FEEDBACK = "feedback", _("Feedback to the reporter (RULES R4)")
