"""The forms of the register of side activities (RULES R16). The rules that need the database
(the official's designated functions, the manager's assessment) are the services'; their
errors are put back on these forms, so what was typed stays."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from integriteit.reports.forms import StyledFormMixin
from integriteit.ui.fields import plausible_date

from .declarations import DeclarationInput
from .models import Decision, DesignatedFunction, InterestKind, OathKind


def _date_field(label, required: bool = True, help_text=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        # ISO, whatever the language: a date input shows nothing for a localised value.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text or _("Format: YYYY-MM-DD."),
        validators=[plausible_date],
    )


class DeclarationForm(StyledFormMixin, forms.Form):
    description = forms.CharField(
        label=_("Side activity"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you do, e.g. “treasurer of the local sports club”."),
    )
    employer = forms.CharField(
        label=_("Organisation where the activity takes place"), max_length=200
    )
    paid = forms.TypedChoiceField(
        label=_("Is the activity paid?"),
        choices=[("yes", _("Paid")), ("no", _("Unpaid"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    hours_per_month = forms.DecimalField(
        label=_("Hours per month"),
        required=False,
        min_value=0,
        max_value=744,
        max_digits=5,
        decimal_places=1,
    )
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(_("Ends on"), required=False)
    function = forms.ModelChoiceField(
        label=_("Designated function"),
        queryset=DesignatedFunction.objects.none(),
        required=False,
        help_text=_("If you hold a designated function, the declaration is made under it."),
    )

    def __init__(self, *args, functions, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["function"])
        field.queryset = functions
        field.empty_label = _("No designated function")
        self._style()

    def to_input(self) -> DeclarationInput:
        data = self.cleaned_data
        return DeclarationInput(
            description=data["description"],
            employer=data["employer"],
            paid=data["paid"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            hours_per_month=data["hours_per_month"],
            function=data["function"],
        )

    @staticmethod
    def initial_of(declaration) -> dict:
        return {
            "description": declaration.description,
            "employer": declaration.employer,
            "paid": "yes" if declaration.paid else "no",
            "hours_per_month": declaration.hours_per_month,
            "starts_on": declaration.starts_on,
            "ends_on": declaration.ends_on,
            "function": declaration.function_id,
        }


class AssessmentForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the activity is allowed with conditions."),
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class InterestForm(StyledFormMixin, forms.Form):
    function = forms.ModelChoiceField(
        label=_("Designated function"), queryset=DesignatedFunction.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=InterestKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. shares in a company the ministry deals with. Stored encrypted; read only by "
            "you, your manager and the integrity coordinator."
        ),
    )

    def __init__(self, *args, functions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["function"]).queryset = functions
        self._style()


class FunctionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Function"), max_length=200)
    publish_side_activities = forms.BooleanField(
        label=_("Side activities of holders are published"), required=False, initial=True
    )
    declare_financial_interests = forms.BooleanField(
        label=_("Holders declare financial interests and securities"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class FunctionSettingsForm(StyledFormMixin, forms.Form):
    publish_side_activities = forms.BooleanField(
        label=_("Side activities of holders are published"), required=False
    )
    declare_financial_interests = forms.BooleanField(
        label=_("Holders declare financial interests and securities"), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PersonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Username"),
            max_length=150,
            help_text=_("The username of the staff member."),
            **kwargs,
        )


class AssignmentForm(StyledFormMixin, forms.Form):
    username = PersonField()
    starts_on = _date_field(_("From"))
    ends_on = _date_field(_("Until"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class EndAssignmentForm(StyledFormMixin, forms.Form):
    ends_on = _date_field(_("Until"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class OathForm(StyledFormMixin, forms.Form):
    username = PersonField()
    kind = forms.ChoiceField(
        label=_("Oath or affirmation"), choices=OathKind.choices, widget=forms.RadioSelect
    )
    taken_on = _date_field(_("Taken on"))
    taken_before = forms.CharField(
        label=_("Taken before"),
        max_length=200,
        help_text=_("Who administered it, e.g. the secretary-general."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


STATE_CHOICES = [
    ("", _("All")),
    ("submitted", _("Waiting for assessment")),
    ("assessed", _("Assessed")),
    ("due", _("Due for re-confirmation")),
    ("withdrawn", _("Withdrawn")),
]


class RegisterFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("All")), *Decision.choices], required=False
    )
    function = forms.ModelChoiceField(
        label=_("Designated function"), queryset=DesignatedFunction.objects.none(), required=False
    )
    paid = forms.ChoiceField(
        label=_("Paid"),
        choices=[("", _("All")), ("yes", _("Paid")), ("no", _("Unpaid"))],
        required=False,
    )

    def __init__(self, *args, functions, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["function"])
        field.queryset = functions
        field.empty_label = _("All")
        self._style()
