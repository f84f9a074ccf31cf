"""Forms of the case page: one per service in integriteit.cases.services that records something.

The forms check input only (required, lengths, dates); the rules of the process (who, when,
preconditions) stay in the services, which the views call with the cleaned data.
"""

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.accounts.models import User
from integriteit.reports.constants import Kind, ViolationTypeCode
from integriteit.reports.forms import MESSAGE_MAX, SHORT_MAX, StyledFormMixin, textarea
from integriteit.reports.sealing import Content
from integriteit.ui.fields import plausible_date

from . import people, services
from .constants import (
    AftercareAudience,
    CaseRole,
    ConflictCheckItem,
    FollowUpRoute,
    HearingForm,
    OrderMeasureKind,
    ReferralTarget,
    SubjectInformedHow,
    Urgency,
)
from .models import MeasureType, Subject

TEXT_MAX = MESSAGE_MAX
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool:
    return value == "yes"


def subject_label(subject: Subject) -> str:
    """How a subject is named on the case page: the staff member, else the sealed description."""
    person = people.person_of(subject, "person")
    if person is not None:
        return str(person)
    description = services.shown_on(subject, "sealed_description")
    if len(description) > 80:
        return description[:77] + "…"
    return description or str(_("Subject without a name"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def date_field(label, **kwargs) -> forms.DateField:
    kwargs.setdefault("help_text", _("For example 31-12-2026."))
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        validators=[plausible_date],
        **kwargs,
    )


class CaseForm(StyledFormMixin, forms.Form):
    """Every case form: NL Design System classes, ids unique on the one case page."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name or None)
        super().__init__(*args, **kwargs)
        self._style()

    def _choose(self, name: str, queryset, empty_label) -> None:
        choice = cast(forms.ModelChoiceField, self.fields[name])
        choice.queryset = queryset
        choice.empty_label = empty_label

    def _style(self):
        super()._style()
        for bound in self:
            if bound.widget_type in {"text", "date", "datetime", "email", "number"}:
                bound.field.widget.attrs.setdefault("class", "utrecht-textbox")


class SubjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return subject_label(obj)


# --- People on the case ------------------------------------------------------------------------


class AssignForm(CaseForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, report, role: str, content: Content | None = None, **kwargs):
        self.prefix_name = f"assign-{role}"
        super().__init__(*args, **kwargs)
        self.role_value = role
        self.role_label = CaseRole(role).label
        # Only those the service would accept: nobody excluded, named or in conflict is offered.
        # `content`: the report's contents as the case page read them (read once per page).
        self._choose(
            "person", services.assignable(report, role, content=content), _("Choose a person")
        )


class DeclareConflictForm(CaseForm):
    prefix_name = "conflict"
    person = forms.ModelChoiceField(
        label=_("Colleague"),
        help_text=_(
            "You will not be assigned to a case in which this person is named, and your "
            "declaration is checked whenever someone assigns you."
        ),
        queryset=User.objects.none(),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._choose("person", people, _("Choose a colleague"))


# --- Intake and assessment ---------------------------------------------------------------------


class AssessmentForm(CaseForm):
    prefix_name = "assessment"
    in_scope = forms.TypedChoiceField(
        label=_("Is the report within scope?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=_("What kind of report is it?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    violation_types = forms.MultipleChoiceField(
        label=_("Types of integrity violation"),
        help_text=_("Only for an integrity violation: choose one or more (RULES R14)."),
        choices=ViolationTypeCode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes on the assessment"),
        max_length=TEXT_MAX,
        required=False,
        widget=textarea(4),
    )

    # Required for an integrity violation: no "(optional)" beside them (ui.fields.is_optional).
    conditionally_required = ("violation_types",)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == Kind.INTEGRITY_VIOLATION and not data.get("violation_types"):
            self.add_error("violation_types", _("Choose at least one type of integrity violation."))
        return data


class ConflictCheckForm(CaseForm):
    prefix_name = "check"
    item = forms.ChoiceField(choices=ConflictCheckItem.choices, widget=forms.HiddenInput)


# --- Follow-up ---------------------------------------------------------------------------------


class FollowUpForm(CaseForm):
    prefix_name = "follow-up"
    route = forms.ChoiceField(
        label=_("Follow-up"), choices=FollowUpRoute.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for this decision"), max_length=TEXT_MAX, widget=textarea(4)
    )
    referral_target = forms.ChoiceField(
        label=_("Referred to"),
        help_text=_("Only for a referral."),
        choices=[("", _("Not a referral")), *ReferralTarget.choices],
        required=False,
    )
    referral_organisation = forms.CharField(
        label=_("Name of the other organisation"),
        help_text=_("Only for a referral to another organisation."),
        max_length=200,
        required=False,
    )
    message_to_reporter = forms.CharField(
        label=_("Message to the reporter"),
        help_text=_(
            "Required for a referral or no further action: tell the reporter what was decided, "
            "why, and (for a referral) where the report went. It is posted to the mailbox."
        ),
        max_length=TEXT_MAX,
        required=False,
        widget=textarea(5),
    )

    # Required for some routes: no "(optional)" beside them (ui.fields.is_optional).
    conditionally_required = ("referral_target", "referral_organisation", "message_to_reporter")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        route = data.get("route")
        if route == FollowUpRoute.REFERRAL and not data.get("referral_target"):
            self.add_error("referral_target", _("Say where the report is referred to."))
        if (
            route == FollowUpRoute.REFERRAL
            and data.get("referral_target") == ReferralTarget.OTHER_ORGANISATION
            and not data.get("referral_organisation", "").strip()
        ):
            self.add_error(
                "referral_organisation", _("Name the organisation the report is referred to.")
            )
        if (
            route in {FollowUpRoute.REFERRAL, FollowUpRoute.NO_FURTHER_ACTION}
            and not data.get("message_to_reporter", "").strip()
        ):
            self.add_error(
                "message_to_reporter",
                _("Write the message that informs the reporter of this decision."),
            )
        return data


class OutcomeForm(CaseForm):
    prefix_name = "outcome"
    outcome = forms.CharField(
        label=_("Outcome of the follow-up"), max_length=TEXT_MAX, widget=textarea(5)
    )


# --- Subjects ----------------------------------------------------------------------------------


class SubjectForm(CaseForm):
    prefix_name = "subject"
    person = forms.ModelChoiceField(
        label=_("Staff member"),
        help_text=_(
            "Choose the staff member, or describe the person below when they are not in the list. "
            "A staff member you choose is kept out of this case: they will not see it."
        ),
        queryset=User.objects.none(),
        required=False,
    )
    description = forms.CharField(
        label=_("Description of the person"),
        help_text=_("For example a job title, or a person outside the organisation."),
        max_length=SHORT_MAX,
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._choose("person", people, _("Not in the list"))

    # One of the two is required: no "(optional)" beside them (ui.fields.is_optional).
    conditionally_required = ("person", "description")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("person") and not data.get("description", "").strip():
            raise forms.ValidationError(_("Choose the person or describe them."))
        return data


class SubjectInformedForm(CaseForm):
    informed_at = forms.DateTimeField(
        label=_("When was the subject informed?"),
        help_text=_("Date and time, for example 31-12-2026 14:30."),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d"],
        validators=[plausible_date],
    )
    how = forms.ChoiceField(
        label=_("How"), choices=SubjectInformedHow.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Required when the subject is not informed yet: say why."),
        max_length=TEXT_MAX,
        required=False,
        widget=textarea(3),
    )

    def __init__(self, *args, subject: Subject, **kwargs):
        self.prefix_name = f"informed-{subject.pk}"
        super().__init__(*args, **kwargs)
        self.subject = subject

    # Required while the subject is not informed yet: no "(optional)" beside them (ui.fields.is_optional).
    conditionally_required = ("note",)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("how") == SubjectInformedHow.NOT_YET and not data.get("note", "").strip():
            self.add_error("note", _("Say why the subject is not informed yet."))
        return data


# --- Feedback and aftercare --------------------------------------------------------------------


class FeedbackForm(CaseForm):
    text = forms.CharField(
        label=_("Feedback to the reporter"),
        help_text=_("Posted to the reporter's mailbox. Write in plain language."),
        max_length=TEXT_MAX,
        widget=textarea(6),
    )

    def __init__(self, *args, kind: str, **kwargs):
        self.prefix_name = f"feedback-{kind}"
        super().__init__(*args, **kwargs)


class EvaluationInvitationForm(CaseForm):
    prefix_name = "invitation"
    invitation = forms.CharField(
        label=_("Invitation to evaluate"),
        help_text=_("Posted to the reporter's mailbox together with the evaluation questions."),
        max_length=TEXT_MAX,
        widget=textarea(4),
    )


class AftercarePlanForm(CaseForm):
    prefix_name = "aftercare"
    audience = forms.ChoiceField(
        label=_("For whom"), choices=AftercareAudience.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What will be done"), max_length=TEXT_MAX, widget=textarea(3)
    )
    due_on = date_field(_("To be done by"))

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."))
        return due_on


class AftercareCancelForm(CaseForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=TEXT_MAX, widget=textarea(2)
    )

    def __init__(self, *args, action_id: int, **kwargs):
        self.prefix_name = f"cancel-{action_id}"
        super().__init__(*args, **kwargs)


class DisadvantageForm(CaseForm):
    prefix_name = "signal"
    description = forms.CharField(
        label=_("What is the signal?"),
        help_text=_(
            "For example a worse assessment, a changed task, exclusion or threats after reporting. "
            "The coordinators are alerted at once (RULES R8)."
        ),
        max_length=TEXT_MAX,
        widget=textarea(4),
    )


# --- Decision and measures ---------------------------------------------------------------------


class DecisionForm(CaseForm):
    prefix_name = "decision"
    summary = forms.CharField(
        label=_("Summary of the decision"), max_length=TEXT_MAX, widget=textarea(5)
    )
    decided_on = date_field(_("Date of the decision"))

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_fields = []
        for violation_type in types:
            name = f"finding_{violation_type.code}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Established: %(type)s") % {"type": violation_type},
                choices=YES_NO,
                coerce=_yes_no,
                widget=forms.RadioSelect,
            )
            self.type_fields.append(name)
        self._style()

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return decided_on

    def findings(self) -> dict[str, bool]:
        return {name.removeprefix("finding_"): self.cleaned_data[name] for name in self.type_fields}

    def finding_fields(self):
        return [self[name] for name in self.type_fields]


class HearingRecordForm(CaseForm):
    prefix_name = "hearing"
    subject = SubjectChoiceField(label=_("Employee heard"), queryset=Subject.objects.none())
    held_on = date_field(_("Date of the hearing"))
    form = forms.ChoiceField(label=_("Form"), choices=HearingForm.choices, widget=forms.RadioSelect)
    assisted_by = forms.CharField(
        label=_("Assisted by"),
        help_text=_("The adviser or representative of the employee's choice, if any."),
        max_length=200,
        required=False,
    )
    record_text = forms.CharField(
        label=_("Record of the hearing"),
        help_text=_("What the employee said, or their written response."),
        max_length=TEXT_MAX,
        widget=textarea(5),
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self._choose("subject", subjects, _("Choose the employee"))

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return held_on


class MeasureForm(CaseForm):
    prefix_name = "measure"
    measure_type = forms.ModelChoiceField(
        label=_("Measure"),
        queryset=MeasureType.objects.filter(is_legacy=False),
        empty_label=_("Choose a measure"),
    )
    subject = SubjectChoiceField(
        label=_("Employee"),
        help_text=_("Required for every measure except “no measure”."),
        queryset=Subject.objects.none(),
        required=False,
    )
    imposed_on = date_field(_("Date"))

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self._choose("subject", subjects, _("No employee"))


class OrderMeasureForm(CaseForm):
    prefix_name = "order"
    subject = SubjectChoiceField(label=_("Employee"), queryset=Subject.objects.none())
    kind = forms.ChoiceField(
        label=_("Order measure"), choices=OrderMeasureKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Why the measure is needed and why for this period (RULES R11)."),
        max_length=TEXT_MAX,
        widget=textarea(3),
    )
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"), help_text=_("No longer than necessary (RULES R11)."))

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self._choose("subject", subjects, _("Choose the employee"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


class LiftOrderMeasureForm(CaseForm):
    lifted_on = date_field(_("Lifted on"))

    def __init__(self, *args, measure_id: int, **kwargs):
        self.prefix_name = f"lift-{measure_id}"
        kwargs.setdefault("initial", {"lifted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReopenForm(CaseForm):
    prefix_name = ""
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=TEXT_MAX, widget=textarea(3)
    )


def today() -> datetime.date:
    return timezone.localdate()
