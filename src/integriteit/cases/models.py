"""What the handling of a report records, phase by phase (seed 002 "Het meldproces").

The report itself (reports.Report) carries the phase and the dates the reporter sees; everything
here hangs off it. Free text that may identify people is sealed under the report's data key via
integriteit.reports.sealing, like all case content (SECURITY.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integriteit.access.seals import case_assignment_seal
from integriteit.reports.models import Message, Report, ViolationType

from .constants import (
    AftercareAudience,
    CaseRole,
    ConflictCheckItem,
    FeedbackKind,
    FollowUpRoute,
    HearingForm,
    OrderMeasureKind,
    ReferralTarget,
    ReminderKind,
    SubjectInformedHow,
    Urgency,
)

USER = settings.AUTH_USER_MODEL


class PhaseChange(models.Model):
    """The case history: every transition, with who did it and why (reopening needs a reason)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=32)
    to_phase = models.CharField(max_length=32)
    transition = models.CharField(max_length=64)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    sealed_reason = models.BinaryField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class CaseAssignment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField(_("role on the case"), max_length=32, choices=CaseRole.choices)
    assigned_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # A keyed MAC over report, user, role and whether the assignment has ended, checked wherever
    # access is decided: a row inserted or revived without the key gives nothing (ADR 0012).
    seal = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} on {self.report_id}"

    def save(self, *args, **kwargs) -> None:
        """Every write through the ORM seals the row (assign, routing, commissioning, ending);
        bulk_create and update() do not, so nothing may write assignments with them."""
        self.seal = case_assignment_seal(
            self.report_id, self.user_id, self.role, self.ended_at is not None
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "seal"}
        super().save(*args, **kwargs)


class DeclaredConflict(models.Model):
    """A staff member's own declaration of a conflict of interest with a colleague.

    The colleague is an opaque reference (docs/decisions/0013): a keyed tag, so assignments find
    conflicts with the people named in a case, and their id sealed under the row's own data key
    (registered in integriteit.crypto.holders), to show the declarant whom they named. The
    declarant is their own account: the audit trail names them as the actor anyway."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="declared_conflicts")
    person_tag = models.CharField(max_length=64, db_index=True)
    sealed_person = models.BinaryField(null=True, blank=True)
    wrapped_key = models.BinaryField(null=True, blank=True)
    kek_version = models.CharField(max_length=16, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "person_tag"], name="one_declaration_per_colleague"
            )
        ]

    def __str__(self) -> str:
        return f"declared conflict {self.pk}"


class Assessment(models.Model):
    """Intake and assessment (issue 3 §2)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="assessment")
    in_scope = models.BooleanField(_("within scope"), null=True)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    sealed_notes = models.BinaryField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"assessment of {self.report_id}"


class ConflictCheck(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="conflict_checks")
    item = models.CharField(max_length=32, choices=ConflictCheckItem.choices)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("report", "item")]

    def __str__(self) -> str:
        return f"{self.item} on {self.report_id}"


class FollowUp(models.Model):
    """The decision on follow-up; a referral names where to and why (issue 3 §2)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="follow_up")
    route = models.CharField(max_length=32, choices=FollowUpRoute.choices)
    referral_target = models.CharField(max_length=32, choices=ReferralTarget.choices, blank=True)
    sealed_referral_organisation = models.BinaryField(null=True, blank=True)
    sealed_reason = models.BinaryField()
    sealed_outcome = models.BinaryField(null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.route} for {self.report_id}"


class Subject(models.Model):
    """The person a report is about (beklagde): a person with rights, never a reader of the report.

    The staff member is an opaque reference (docs/decisions/0013): `person_tag` to find the
    subjects of a user, `sealed_person` (their id under the case's data key) to name them;
    hearings, measures and order measures reach the person only through the subject."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="subjects")
    person_tag = models.CharField(max_length=64, blank=True, db_index=True)
    sealed_person = models.BinaryField(null=True, blank=True)
    sealed_description = models.BinaryField(null=True, blank=True)
    informed_at = models.DateTimeField(null=True, blank=True)
    informed_how = models.CharField(max_length=16, choices=SubjectInformedHow.choices, blank=True)
    sealed_informed_note = models.BinaryField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"subject {self.pk} of {self.report_id}"


class Feedback(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=16, choices=FeedbackKind.choices)
    message = models.OneToOneField(Message, on_delete=models.SET_NULL, null=True, related_name="+")
    given_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_at"]

    def __str__(self) -> str:
        return f"{self.kind} feedback on {self.report_id}"


class AftercareAction(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="aftercare_actions")
    audience = models.CharField(max_length=16, choices=AftercareAudience.choices)
    sealed_description = models.BinaryField()
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sealed_cancel_reason = models.BinaryField(null=True, blank=True)
    planned_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    finished_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The work overview (cases.dashboard): open actions, most urgent first; the list
            # walks this index and stops at the first visible ones (include: PostgreSQL only).
            models.Index(
                fields=["due_on", "id"],
                include=["report"],
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
                name="aftercare_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"aftercare for {self.audience} on {self.report_id}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None


class DisadvantageSignal(models.Model):
    """A sign that the reporter is disadvantaged after reporting (RULES R8)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="disadvantage_signals"
    )
    sealed_description = models.BinaryField()
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"disadvantage signal on {self.report_id}"


class MeasureType(models.Model):
    """Configurable list of measures, seeded with RULES R13 (legacy codes kept)."""

    code = models.CharField(max_length=48, unique=True)
    name = models.CharField(max_length=200)
    requires_hearing = models.BooleanField(default=True)
    is_legacy = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """The competent authority's decision: established or not, per type (registry facts)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="decision")
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField()
    sealed_summary = models.BinaryField()

    def __str__(self) -> str:
        return f"decision on {self.report_id}"


class Finding(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="findings")
    violation_type = models.ForeignKey(ViolationType, on_delete=models.PROTECT, related_name="+")
    established = models.BooleanField()

    class Meta:
        unique_together = [("decision", "violation_type")]

    def __str__(self) -> str:
        return f"{self.violation_type}: {self.established}"


class Hearing(models.Model):
    """The employee is heard before any measure (RULES R10)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="hearings")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField()
    form = models.CharField(max_length=16, choices=HearingForm.choices)
    sealed_assisted_by = models.BinaryField(null=True, blank=True)
    sealed_record = models.BinaryField()
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"hearing {self.pk} of {self.report_id}"


class Measure(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="measures")
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="measures", null=True
    )
    measure_type = models.ForeignKey(MeasureType, on_delete=models.PROTECT, related_name="+")
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, null=True, related_name="+")
    imposed_on = models.DateField()
    imposed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.measure_type} on {self.report_id}"


class OrderMeasure(models.Model):
    """Bar from the workplace or suspension during the case (RULES R11): reasoned and bounded."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="order_measures")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="order_measures")
    kind = models.CharField(max_length=16, choices=OrderMeasureKind.choices)
    sealed_reason = models.BinaryField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    lifted_on = models.DateField(null=True, blank=True)
    imposed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.kind} on {self.report_id}"


class Evaluation(models.Model):
    """The reporter's evaluation of the process after closure (seed 002, evaluation phase)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="evaluation")
    invited_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    felt_safe = models.PositiveSmallIntegerField(null=True)
    kept_informed = models.PositiveSmallIntegerField(null=True)
    taken_seriously = models.PositiveSmallIntegerField(null=True)
    would_report_again = models.BooleanField(null=True)
    sealed_comment = models.BinaryField(null=True, blank=True)

    class Meta:
        indexes = [
            # The work overview (cases.dashboard): evaluations not answered, oldest first.
            models.Index(
                fields=["invited_at", "id"],
                include=["report"],
                condition=Q(answered_at__isnull=True),
                name="evaluation_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"evaluation of {self.report_id}"


class ReminderLog(models.Model):
    """One row per reminder sent: the unique key makes the reminder run idempotent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "due_at"], name="one_reminder_per_due_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.report_id}"


class SavedQueueFilter(models.Model):
    """A named set of the work queue's filters, of one person (issue 10 "Work queue"). The query
    holds only the filter bar's own parameters (cases.services.queue_filters), never a page."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="saved_queue_filters")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="one_saved_filter_per_name")
        ]

    def __str__(self) -> str:
        return self.name
