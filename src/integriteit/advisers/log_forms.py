"""The conversation log form (issue 5 §3): no field for a name; the optional notes are checked
for what looks like a name, e-mail address or phone number, and saved only after an explicit
"save anyway" when they do."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.forms import StyledFormMixin
from integriteit.ui.fields import plausible_date

from .constants import ConversationTheme, Referral
from .log import LogInput, name_warnings

NOTES_MAX = 2_000


class ConversationLogForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(
        label=_("Date"),
        # ISO, whatever the language: a date input shows nothing for a localised value.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Format: YYYY-MM-DD."),
        validators=[plausible_date],
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=ConversationTheme.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Only the level the employee chooses to share. Leave empty if not shared."),
    )
    conversations = forms.IntegerField(
        label=_("Number of conversations"), min_value=1, max_value=500, initial=1
    )
    referrals = forms.MultipleChoiceField(
        label=_("Referred to"),
        choices=Referral.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report_followed = forms.BooleanField(label=_("A formal report followed"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Never a name, e-mail address or phone number. Notes are encrypted and only you can "
            "read them."
        ),
    )
    save_anyway = forms.BooleanField(
        label=_("The notes contain no name or contact details: save anyway"),
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
            organisation__in=organisations
        ).select_related("organisation")
        self.warnings: list[str] = []
        if not self.is_bound:
            self.fields["held_on"].initial = timezone.localdate()
        self._style()

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean() or {}
        organisation, unit = data.get("organisation"), data.get("unit")
        if organisation and unit and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("This unit belongs to another organisation."))
        self.warnings = name_warnings(data.get("notes", ""))
        if self.warnings and not data.get("save_anyway"):
            self.add_error(
                "notes",
                _(
                    "These notes may identify someone. Remove the name or contact details, or "
                    "confirm below that you want to save them anyway."
                ),
            )
        return data

    def to_input(self) -> LogInput:
        data = self.cleaned_data
        return LogInput(
            held_on=data["held_on"],
            theme=data["theme"],
            organisation=data["organisation"],
            unit=data["unit"],
            conversations=data["conversations"],
            referrals=list(data["referrals"]),
            report_followed=data["report_followed"],
            notes=data["notes"],
        )


class LogFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=[("", _("All themes")), *ConversationTheme.choices],
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", _("All years")),
            *[(year, str(year)) for year in years],
        ]
        for name in ("year", "theme"):
            self.fields[name].widget.attrs["class"] = "utrecht-select"
