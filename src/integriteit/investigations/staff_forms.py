"""Forms of the staff screens of an investigation (the case panel and the investigation page).

Like integriteit.cases.forms: the forms check input only; the services decide who may do what
and when (steps in order, the responsible role, the independence of investigators)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.accounts.models import User
from integriteit.cases.forms import (
    TEXT_MAX,
    CaseForm,
    DateTimeInput,
    SubjectChoiceField,
    date_field,
)
from integriteit.cases.models import Subject
from integriteit.reports.attachments import AttachmentRejected, CleanFile, clean_upload
from integriteit.reports.forms import StyledFormMixin, textarea
from integriteit.reports.models import Report
from integriteit.ui.fields import ModelMultipleChoiceField, plausible_date

from .constants import IntervieweeRole, InvestigatorKind
from .models import InvestigatorProfile, ProtocolStep

OTHER_DOCUMENT = "other"


class InvestigatorChoiceField(ModelMultipleChoiceField):
    """Each investigator with the reasons they cannot take this case, if any (independence)."""

    def __init__(self, *args, refusals: dict[int, list[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusals = refusals or {}

    def label_from_instance(self, obj) -> str:
        reasons = self.refusals.get(obj.pk)
        if reasons:
            return str(_("%(person)s – not possible: %(reasons)s")) % {
                "person": obj,
                "reasons": " ".join(str(r) for r in reasons),
            }
        return str(obj)


class CommissionForm(CaseForm):
    prefix_name = "commission"
    investigators = InvestigatorChoiceField(
        label=_("Investigators"),
        help_text=_(
            "Holders of the investigator role in the organisation. The first one you choose leads "
            "the investigation. Investigators from the subject's unit, people named in or kept "
            "out of the report and people with a declared conflict of interest are not offered."
        ),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = date_field(_("Overall time limit of the investigation"))
    note = forms.CharField(
        label=_("Assignment note"),
        help_text=_(
            "Why the investigation is commissioned. The scope and the questions are recorded in "
            "the protocol step “Decision to investigate and written assignment”."
        ),
        max_length=TEXT_MAX,
        widget=textarea(4),
    )

    def __init__(self, *args, candidates, refusals: dict[int, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["investigators"]
        assert isinstance(field, InvestigatorChoiceField)
        field.queryset = candidates
        field.refusals = refusals

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("The time limit must be in the future."))
        return deadline


class StepValuesForm(CaseForm):
    """The required fields of one step, as defined by the protocol (saved in parts)."""

    def __init__(self, *args, step: ProtocolStep, **kwargs):
        self.prefix_name = f"values-{step.code}"
        super().__init__(*args, **kwargs)
        for item in step.required_fields:
            self.fields[item["code"]] = forms.CharField(
                label=_(item["label"]), max_length=TEXT_MAX, required=False, widget=textarea(3)
            )
        self._style()


class DocumentForm(CaseForm):
    kind = forms.ChoiceField(label=_("Which document"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Word, OpenDocument, images, text, e-mail or audio files. Hidden information "
            "such as the author is removed before the file is stored."
        ),
    )

    def __init__(self, *args, step: ProtocolStep, **kwargs):
        self.prefix_name = f"document-{step.code}"
        super().__init__(*args, **kwargs)
        choices = [(d["code"], _(d["label"])) for d in step.required_documents]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [*choices, (OTHER_DOCUMENT, _("Other document"))]
        self.fields["file"].widget.attrs["class"] = "utrecht-textbox int-file-input"

    def clean_file(self) -> CleanFile:
        upload = self.cleaned_data["file"]
        try:
            return clean_upload(upload)
        except AttachmentRejected as error:
            raise forms.ValidationError(f"{upload.name}: {error}") from error


class DeviationForm(CaseForm):
    reason = forms.CharField(
        label=_("Reason for the deviation"),
        help_text=_(
            "For example: the subject is informed later to protect evidence. The competent "
            "authority must approve the deviation first, and it is stated in the report."
        ),
        max_length=TEXT_MAX,
        widget=textarea(3),
    )

    def __init__(self, *args, step: ProtocolStep, **kwargs):
        self.prefix_name = f"deviation-{step.code}"
        super().__init__(*args, **kwargs)


class PlanInterviewForm(CaseForm):
    interviewee = forms.ModelChoiceField(
        label=_("Staff member"),
        help_text=_("Or describe the person below when they are not in the list."),
        queryset=User.objects.none(),
        required=False,
    )
    subject = SubjectChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    description = forms.CharField(
        label=_("Description of the interviewee"),
        help_text=_("For example a job title, or a person outside the organisation."),
        max_length=200,
        required=False,
    )
    planned_at = forms.DateTimeField(
        label=_("Date and time"),
        help_text=_("For example 31-12-2026 14:30."),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        validators=[plausible_date],
    )
    invitation = forms.CharField(
        label=_("Invitation"),
        help_text=_("States the interviewee's rights; the protocol is sent with it."),
        max_length=TEXT_MAX,
        widget=textarea(6),
    )

    def __init__(self, *args, role: str, report: Report, staff, invitation: str, **kwargs):
        self.prefix_name = f"plan-{role}"
        kwargs.setdefault("initial", {"invitation": invitation})
        super().__init__(*args, **kwargs)
        self.role_value = role
        self.role_label = IntervieweeRole(role).label
        if role == IntervieweeRole.SUBJECT:
            del self.fields["interviewee"], self.fields["description"]
            self._choose(
                "subject",
                report.subjects.order_by("recorded_at", "pk"),
                _("Choose the subject"),
            )
        else:
            del self.fields["subject"]
            self._choose("interviewee", staff, _("Not in the list"))

    # For a witness one of the two is required: no "(optional)" beside them (ui.fields.is_optional).
    conditionally_required = ("interviewee", "description")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            self.role_value == IntervieweeRole.WITNESS
            and not data.get("interviewee")
            and not data.get("description", "").strip()
        ):
            raise forms.ValidationError(_("Choose the interviewee or describe them."))
        return data


class RecordInterviewForm(CaseForm):
    text = forms.CharField(
        label=_("Record of the interview"),
        help_text=_("Offered to the interviewee for approval or comments."),
        max_length=TEXT_MAX,
        widget=textarea(6),
    )
    adviser = forms.CharField(label=_("Adviser or counsel present"), max_length=200, required=False)

    def __init__(self, *args, interview_id: int, **kwargs):
        self.prefix_name = f"record-{interview_id}"
        super().__init__(*args, **kwargs)


class InvestigatorProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InvestigatorProfile
        fields = ["kind", "bureau", "team"]
        labels = {
            "kind": _("Kind of investigator"),
            "bureau": _("External bureau"),
            "team": _("Team"),
        }
        help_texts = {
            "bureau": _("Only for staff of an external investigation bureau."),
            "team": _("The investigation team, if any."),
        }
        widgets = {"kind": forms.RadioSelect(choices=InvestigatorKind.choices)}

    def __init__(self, *args, user_id: int, **kwargs):
        kwargs["prefix"] = f"profile-{user_id}"
        super().__init__(*args, **kwargs)
        self._style()
        for name in ("bureau", "team"):
            self.fields[name].widget.attrs.setdefault("class", "utrecht-textbox")
