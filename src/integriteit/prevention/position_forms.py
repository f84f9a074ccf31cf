from decimal import Decimal
from typing import cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from integriteit.ui.fields import plausible_date

from .models import CoordinatorPosition, Placement


class PositionForm(forms.ModelForm):
    class Meta:
        model = CoordinatorPosition
        fields = [
            "valid_from",
            "hours_per_week",
            "team_fte",
            "placement",
            "direct_access",
            "may_convene",
            "tasks_laid_down",
            "mandate_reference",
            "note",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "placement": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].validators.append(plausible_date)
        self.fields["hours_per_week"].validators += [
            MinValueValidator(Decimal("0.5")),
            MaxValueValidator(Decimal("60")),
        ]
        self.fields["hours_per_week"].help_text = _("A full-time week is 36 hours.")
        self.fields["team_fte"].validators += [
            MinValueValidator(Decimal("0")),
            MaxValueValidator(Decimal("100")),
        ]
        cast(forms.ChoiceField, self.fields["placement"]).choices = Placement.choices  # no blank
