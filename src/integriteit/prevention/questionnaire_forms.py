from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from integriteit.ui.fields import plausible_date

from .constants_analyses import Axis, VulnerableActivity
from .questionnaire import MOST_INVITATIONS, SMALLEST_GROUP


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label, validators=[plausible_date], widget=forms.DateInput(attrs={"type": "date"})
    )


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction for the employees"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the analysis is about and why their view matters."),
    )
    closes_on = _date_field(_("Open until"))
    min_group = forms.IntegerField(
        label=_("Smallest group shown"),
        required=False,
        validators=[MinValueValidator(SMALLEST_GROUP), MaxValueValidator(100)],
        help_text=_("Answers are shown only once at least this many employees have answered."),
    )


class InviteForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of invitations"),
        validators=[MinValueValidator(1), MaxValueValidator(MOST_INVITATIONS)],
        help_text=_("One for each employee of the unit. The list of links is shown only once."),
    )


class AnswerForm(forms.Form):
    """The employee's answer; the likelihood and impact on the analysis's own matrix."""

    activities = forms.MultipleChoiceField(
        label=_("Which of these are part of your work?"),
        choices=VulnerableActivity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    risk = forms.CharField(
        label=_("Which integrity risk do you see in your own work?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the situation, not the people: do not write names."),
    )
    likelihood = forms.TypedChoiceField(
        label=_("How likely is it to happen?"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    impact = forms.TypedChoiceField(
        label=_("How serious would it be?"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    measure = forms.CharField(
        label=_("What would help against it?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, matrix, **kwargs):
        super().__init__(*args, **kwargs)
        steps = list(matrix.steps.all())
        for axis in (Axis.LIKELIHOOD, Axis.IMPACT):
            field = self.fields[axis.value]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [(s.value, s.label) for s in steps if s.axis == axis]


class WorkshopForm(forms.Form):
    held_on = _date_field(_("Held on"))
    participants = forms.IntegerField(
        label=_("Number of participants"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The risks and measures the participants named. No names of people."),
    )
