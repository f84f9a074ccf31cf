"""Reports, their encrypted contents, the mailbox and attachments.

Only non-identifying metadata is stored in the clear (reference, organisation, kind, types, phase,
dates): lists and filters run on it. Everything a reporter writes, who they are, whom they name,
messages and files are sealed with the report's data key (integriteit.crypto).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation

from .constants import (
    Channel,
    ExclusionReason,
    Form,
    Kind,
    MessageKind,
    MetadataHandling,
    Phase,
    Relation,
    Sender,
    ViolationTypeCode,
)


class ViolationType(models.Model):
    code = models.CharField(max_length=32, unique=True, choices=ViolationTypeCode.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")

    def __str__(self) -> str:
        return str(self.get_code_display())


# Unacknowledged reports first, on SQLite and PostgreSQL alike (the work queue's order and its
# index: SQLite has no NULLS FIRST in an index, PostgreSQL sorts NULL last by default).
IS_ACKNOWLEDGED = ExpressionWrapper(Q(acknowledged_at__isnull=False), output_field=BooleanField())


class ReportQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def drafts(self):
        return self.filter(submitted_at__isnull=True)


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of report"), max_length=32, choices=Kind.choices)
    reported_types = models.ManyToManyField(
        ViolationType, blank=True, related_name="+", verbose_name=_("types named by the reporter")
    )
    classified_kind = models.CharField(
        _("classified kind"), max_length=32, choices=Kind.choices, blank=True
    )
    classified_types = models.ManyToManyField(
        ViolationType, blank=True, related_name="+", verbose_name=_("classified types")
    )
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    relation = models.CharField(
        _("relation to the organisation"), max_length=32, choices=Relation.choices
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    meeting_requested = models.BooleanField(_("meeting requested"), default=False)
    route_around_line = models.BooleanField(
        _("keep the line above named persons out"), default=False
    )
    phase = models.CharField(
        _("phase"), max_length=32, choices=Phase.choices, default=Phase.RECEIVED
    )
    # The unit the report concerns, set by the coordinator (cases.units); filters the work overview.
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("unit concerned"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    classified_at = models.DateTimeField(_("classified"), null=True, blank=True)
    feedback_given_at = models.DateTimeField(_("final feedback given"), null=True, blank=True)
    last_feedback_at = models.DateTimeField(
        _("last feedback to the reporter"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    retention_until = models.DateTimeField(
        _("personal data kept until"), null=True, blank=True, db_index=True
    )
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed"), null=True, blank=True
    )
    concerns_report = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("complaint about the handling of"),
    )
    minutes_approved_at = models.DateTimeField(
        _("minutes approved by the reporter"), null=True, blank=True
    )
    acknowledgement_due = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    feedback_due = models.DateTimeField(_("feedback due"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    receipt_lookup = models.CharField(max_length=64, unique=True, null=True, blank=True)
    receipt_hash = models.CharField(max_length=200, blank=True)

    wrapped_key = models.BinaryField()
    kek_version = models.CharField(max_length=16)
    sealed_content = models.BinaryField()
    # A keyed MAC over id, organisation and the set of exclusion tags (access.seals.report_seal),
    # written at submission and whenever exclusions change, under the report's row lock
    # (reports.services). Empty for drafts, which nobody sees (docs/decisions/0012).
    access_seal = models.CharField(max_length=64, editable=False, default="")

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "phase", "received_at"]),
            models.Index(fields=["acknowledgement_due"]),
            models.Index(fields=["feedback_due"]),
            # The work overview and queue (cases.dashboard, selectors.queue; issue 3): every
            # query is "submitted cases of these organisations" (access.rules), so each index
            # starts with the organisation and holds submitted cases only. `include` is used on
            # PostgreSQL (index-only scans) and ignored elsewhere.
            models.Index(  # cases by phase, the queue's count, visible cases of some units
                fields=["organisation", "unit", "phase"],
                include=["id"],
                condition=Q(submitted_at__isnull=False),
                name="report_submitted_phase_idx",
            ),
            models.Index(  # the due figures: open cases only (≈ 1 in 7)
                fields=["organisation", "acknowledgement_due"],
                include=[
                    "id",
                    "unit",
                    "acknowledged_at",
                    "feedback_due",
                    "feedback_given_at",
                    "last_feedback_at",
                ],
                condition=Q(submitted_at__isnull=False) & ~Q(phase="closed"),
                name="report_open_idx",
            ),
            models.Index(  # acknowledgement due, most urgent first
                fields=["organisation", "acknowledgement_due"],
                condition=Q(submitted_at__isnull=False, acknowledged_at__isnull=True),
                name="report_ack_pending_idx",
            ),
            models.Index(  # final feedback due, most urgent first
                fields=["organisation", "feedback_due"],
                condition=Q(submitted_at__isnull=False, feedback_given_at__isnull=True),
                name="report_feedback_pending_idx",
            ),
            models.Index(  # the queue's order (reports.selectors.queue)
                F("organisation"),
                IS_ACKNOWLEDGED,
                F("acknowledged_at"),
                F("acknowledgement_due"),
                F("received_at").desc(),
                condition=Q(submitted_at__isnull=False),
                name="report_queue_order_idx",
            ),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReporterIdentity(models.Model):
    """Who the reporter is: its own sealed record, read only through the access rules (R7)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"identity of {self.report_id}"


class ReportExclusion(models.Model):
    """A person kept out of a report. The person is an opaque keyed tag, so the table does not
    reveal who was named (docs/decisions/0004-exclusions.md)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exclusions")
    person_tag = models.CharField(max_length=64, db_index=True)
    reason = models.CharField(max_length=32, choices=ExclusionReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("report", "person_tag")]

    def __str__(self) -> str:
        return f"{self.reason} on {self.report_id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16, choices=Sender.choices)
    kind = models.CharField(max_length=32, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sealed_body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Attachment(models.Model):
    """A file sealed on disk at UPLOAD_ROOT; its name is sealed in the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    sender = models.CharField(max_length=16, choices=Sender.choices)
    sealed_name = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    metadata = models.CharField(max_length=16, choices=MetadataHandling.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class FailureCounter(models.Model):
    """Failed mailbox logins in one window (reports.throttle): per lookup key, or site-wide per
    slice of ten seconds; also the login challenges already used, until they expire.

    A row, not a cache entry, so that an increment is one atomic UPDATE: the database cache's
    `incr` is a get followed by a set, and concurrent guesses undercounted (issue 9 defect 7)."""

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField()
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
