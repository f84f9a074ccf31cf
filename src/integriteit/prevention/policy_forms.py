from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from integriteit.ui.fields import ModelMultipleChoiceField, plausible_date

from .models import GoalResult, IntegrityPolicy, Measure, PolicyAction, PolicyGoal, Risk


def _dated(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.validators.append(plausible_date)
            field.widget = forms.DateInput(attrs={"type": "date"})


class PolicyForm(forms.ModelForm):
    class Meta:
        model = IntegrityPolicy
        fields = ["title", "period_start", "period_end", "evaluation_due"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dated(self)


class RiskChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.process.analysis.year})"


class MeasureChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.description} ({obj.analysis.year})"


class GoalForm(forms.ModelForm):
    risks = RiskChoices(
        label=_("Risks the goal addresses"),
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    analysis_measures = MeasureChoices(
        label=_("Measures of the risk analyses that serve it"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PolicyGoal
        fields = ["title", "indicator", "target", "system_figure", "measures"]
        widgets = {"measures": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, linkable, **kwargs):
        """`linkable`: (risks, measures) of the organisation's analyses (policy.linkable)."""
        super().__init__(*args, **kwargs)
        risks, measures = linkable
        cast(RiskChoices, self.fields["risks"]).queryset = risks
        cast(MeasureChoices, self.fields["analysis_measures"]).queryset = measures
        if self.instance.pk:
            self.initial["risks"] = list(self.instance.risks.all())
            self.initial["analysis_measures"] = list(self.instance.analysis_measures.all())


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"))
    adopted_by = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        help_text=_("The function that adopted it, for instance the secretary-general."),
    )
    confirm = forms.BooleanField(
        label=_("Adopt the policy: its period and goals then stay as they are."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dated(self)


class EvaluationForm(forms.Form):
    """The evaluation's date and conclusion, and for every goal its result, what was achieved
    and what changes (fields `result_<goal>`, `finding_<goal>`, `change_<goal>`)."""

    held_on = forms.DateField(label=_("Evaluated on"))
    conclusion = forms.CharField(
        label=_("Conclusion"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    next_evaluation_due = forms.DateField(label=_("Next evaluation planned on"), required=False)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        _dated(self)
        self.rows = rows  # policy_views.GoalRow: a goal with its system figure
        self.goals = [row.goal for row in rows]
        for goal in self.goals:
            self.fields[f"result_{goal.pk}"] = forms.ChoiceField(
                label=_("Result"), choices=GoalResult.choices, widget=forms.RadioSelect
            )
            self.fields[f"finding_{goal.pk}"] = forms.CharField(
                label=_("What was achieved"),
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"change_{goal.pk}"] = forms.CharField(
                label=_("What changes"),
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def goal_fields(self):
        return [
            (
                row,
                self[f"result_{row.goal.pk}"],
                self[f"finding_{row.goal.pk}"],
                self[f"change_{row.goal.pk}"],
            )
            for row in self.rows
        ]


class ActionForm(forms.ModelForm):
    class Meta:
        model = PolicyAction
        fields = ["description", "owner", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dated(self)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dated(self)
