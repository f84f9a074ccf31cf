"""Forms of the advisers' annual report (issue 5 §5)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation
from integriteit.ui.fields import plausible_date


class CreateReportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year - 1


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Follow-up action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[plausible_date],
    )


class SignalForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    text = forms.CharField(
        label=_("Signal (a trend, never a name)"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
