"""Forms of the integrity risk analysis pages (issue 12 §1). A form keeps what was typed when
the service refuses it (`add_refusal`), so nothing is lost."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation, Unit

from . import matrices
from .constants_analyses import (
    AnalysisObject,
    AnalysisStatus,
    Axis,
    FactorWeight,
    MeasureKind,
    MeasureStatus,
    ProcessArea,
    RiskSource,
    ScoreKind,
    VulnerableActivity,
    VulnerableProperty,
)
from .models import Risk, RiskMatrix


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RefusalMixin:
    def add_refusal(self, message: str, field: str | None) -> None:
        self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]


class AnalysisForm(RefusalMixin, forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Organisation unit")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    analysed_on = forms.DateField(label=_("Date of the analysis"), widget=DateInput())
    object_kind = forms.ChoiceField(
        label=_("What is analysed"), choices=AnalysisObject.choices, widget=forms.RadioSelect
    )
    object_description = forms.CharField(
        label=_("Description of the object"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=AnalysisStatus.choices)

    def __init__(self, *args, organisations, fixed_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        units = Unit.objects.filter(organisation__in=organisations).select_related("organisation")
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        if fixed_organisation is not None:
            del self.fields["organisation"]
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units.filter(
                organisation=fixed_organisation
            )
        elif organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["analysed_on"].initial = today
        self.fields["object_kind"].initial = AnalysisObject.UNIT


class ProcessForm(forms.Form):
    name = forms.CharField(label=_("Name of the process"), max_length=200)
    area = forms.ChoiceField(label=_("Kind of process"), choices=ProcessArea.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activities = forms.MultipleChoiceField(
        label=_("Vulnerable activities"),
        choices=VulnerableActivity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    properties = forms.MultipleChoiceField(
        label=_("Vulnerable property"),
        choices=VulnerableProperty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complexity = forms.TypedChoiceField(
        label=_("Complexity"), choices=FactorWeight.choices, coerce=int
    )
    change = forms.TypedChoiceField(
        label=_("Change and dynamics"), choices=FactorWeight.choices, coerce=int
    )
    management = forms.TypedChoiceField(
        label=_("Management"), choices=FactorWeight.choices, coerce=int
    )
    personnel = forms.TypedChoiceField(
        label=_("Personnel"), choices=FactorWeight.choices, coerce=int
    )
    history = forms.TypedChoiceField(
        label=_("Problem history"), choices=FactorWeight.choices, coerce=int
    )

    FACTORS = ("complexity", "change", "management", "personnel", "history")


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Risk"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner = forms.CharField(label=_("Risk owner"), required=False, max_length=200)
    source = forms.ChoiceField(label=_("Where the risk came from"), choices=RiskSource.choices)


class ScoreForm(RefusalMixin, forms.Form):
    """The steps are the matrix's own; a value outside them is refused by the form (and by the
    service, which looks the pair up in the grid)."""

    kind = forms.ChoiceField(label=_("Score"), choices=ScoreKind.choices, widget=forms.RadioSelect)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=())
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=())

    def __init__(self, *args, matrix: RiskMatrix, **kwargs):
        super().__init__(*args, **kwargs)
        invalid = _("Choose one of the steps of the matrix %(matrix)s.") % {"matrix": matrix}
        for axis in (Axis.LIKELIHOOD, Axis.IMPACT):
            field = cast(forms.TypedChoiceField, self.fields[axis.value])
            field.choices = [
                ("", _("Choose a step")),
                *[
                    (step.value, f"{step.value}. {step.label}")
                    for step in matrices.steps(matrix, axis)
                ],
            ]
            field.error_messages["invalid_choice"] = invalid
        self.fields["kind"].initial = ScoreKind.INHERENT


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=MeasureKind.choices)
    description = forms.CharField(label=_("Measure"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    owner = forms.CharField(label=_("Owner"), required=False, max_length=200)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    risks = forms.ModelMultipleChoiceField(
        label=_("Risks this measure serves"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["risks"]).queryset = Risk.objects.filter(
            process__analysis=analysis
        ).order_by("process__name", "title", "pk")
        self.fields["status"].initial = MeasureStatus.PLANNED


class AcceptanceForm(RefusalMixin, forms.Form):
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("The name and function of who accepted the risk."),
    )
    reason = forms.CharField(
        label=_("Why the risk is accepted"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    until = forms.DateField(
        label=_("Accepted until"),
        widget=DateInput(),
        help_text=_("On this date the risk comes back for review."),
    )


class ReviewForm(RefusalMixin, forms.Form):
    note = forms.CharField(
        label=_("Findings of the review"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the review interval of the risk's level."),
    )


class SnapshotForm(forms.Form):
    label = forms.CharField(label=_("Name of the snapshot"), required=False, max_length=120)


class NextYearForm(RefusalMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the new analysis"), min_value=2000, max_value=2100)
