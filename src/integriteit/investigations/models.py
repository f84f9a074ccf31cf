"""Person-directed investigations after the BIPO baseline (seed 002; RULES R12).

The protocol is data: a baseline version (organisation empty) and organisation versions that add
steps or requirements but never drop a baseline one. Each investigation stores the protocol
version it follows. Free text and files are sealed under the case's data key (SECURITY.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integriteit.cases.models import Subject
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report

from .constants import IntervieweeRole, InvestigatorKind, ReportVersionKind, StepRole

USER = settings.AUTH_USER_MODEL


class Protocol(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="protocols"
    )
    version = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="one_protocol_version"
            ),
        ]
        ordering = ["organisation__name", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_baseline(self) -> bool:
        return self.organisation_id is None


class ProtocolStep(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(max_length=64)
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    guidance = models.TextField(help_text=_("What the baseline requires in this step."))
    responsible_role = models.CharField(max_length=32, choices=StepRole.choices)
    # [{"code": "...", "label": "..."}]: what must be recorded before the step completes.
    required_fields = models.JSONField(default=list, blank=True)
    required_documents = models.JSONField(default=list, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(default=14)
    is_baseline = models.BooleanField(default=True)
    deviation_allowed = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "code"], name="one_step_code_per_protocol"),
            models.UniqueConstraint(
                fields=["protocol", "position"], name="one_step_position_per_protocol"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InvestigatorProfile(models.Model):
    """Internal investigators, members of a team, or staff of an external bureau."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="investigator_profile")
    kind = models.CharField(max_length=16, choices=InvestigatorKind.choices)
    bureau = models.CharField(max_length=200, blank=True)
    team = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class Investigation(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="investigations")
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="+")
    commissioned_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    commissioned_at = models.DateTimeField(auto_now_add=True)
    sealed_assignment = models.BinaryField()
    deadline = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"investigation {self.pk} of {self.report_id}"


class InvestigationMember(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="investigation_memberships"
    )
    is_lead = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} on {self.investigation_id}"


class StepRecord(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="step_records"
    )
    step = models.ForeignKey(ProtocolStep, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    sealed_values = models.BinaryField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    sealed_deviation_reason = models.BinaryField(null=True, blank=True)
    deviation_requested_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deviation_requested_at = models.DateTimeField(null=True, blank=True)
    deviation_approved_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deviation_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["step__position"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "step"], name="one_record_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.step} of {self.investigation_id}"

    @property
    def report(self) -> Report:
        return self.investigation.report


class InvestigationDocument(models.Model):
    """A file of the investigation file, sealed on disk like attachments."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="documents"
    )
    step = models.ForeignKey(ProtocolStep, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=64)
    sealed_name = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def report(self) -> Report:
        return self.investigation.report


class Interview(models.Model):
    """The interviewee who is staff is an opaque reference (docs/decisions/0013):
    `interviewee_tag` finds "my interviews", `sealed_interviewee` (their id under the case's data
    key) names them and lets the invitation be mailed. The adviser named is sealed too."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="interviews"
    )
    role = models.CharField(max_length=16, choices=IntervieweeRole.choices)
    interviewee_tag = models.CharField(max_length=64, blank=True, db_index=True)
    sealed_interviewee = models.BinaryField(null=True, blank=True)
    subject = models.ForeignKey(
        Subject, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    sealed_interviewee_description = models.BinaryField(null=True, blank=True)
    planned_at = models.DateTimeField()
    sealed_invitation = models.BinaryField()
    invited_at = models.DateTimeField(null=True, blank=True)
    sealed_adviser = models.BinaryField(null=True, blank=True)
    sealed_record = models.BinaryField(null=True, blank=True)
    record_offered_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sealed_comment = models.BinaryField(null=True, blank=True)
    commented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_at"]

    def __str__(self) -> str:
        return f"interview {self.pk}"

    @property
    def report(self) -> Report:
        return self.investigation.report


class ReportVersion(models.Model):
    """A generated draft or final investigation report (PDF and editable), sealed on disk."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="report_versions"
    )
    kind = models.CharField(max_length=16, choices=ReportVersionKind.choices)
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    offered_to_subject_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    sealed_subject_response = models.BinaryField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["generated_at"]

    def __str__(self) -> str:
        return f"{self.kind} report {self.pk}"

    @property
    def report(self) -> Report:
        return self.investigation.report


class InvestigationReminder(models.Model):
    """One row per reminder sent about a step's or the overall time limit (issue 4 §6): the
    unique key (investigation, what, stage, date) makes the reminder run idempotent, like
    cases.ReminderLog. `key` is "step:<code>" or "overall"."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="reminders"
    )
    key = models.CharField(max_length=80)
    stage = models.CharField(max_length=16)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "key", "stage", "due_on"],
                name="one_investigation_reminder_per_due_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.stage} reminder for {self.investigation_id}"
