"""Filters of the work overview and the work queue: organisation and unit (issue 3 §7).

The choices are the organisations and units of the cases the user may see; a unit includes the
units under it. Cleaned data has `organisation` and `units` (a list of unit ids, or empty)."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.forms import QueueFilterForm, StyledFormMixin

from . import queue
from .dashboard import units_below


class UnitFilterMixin:
    def _add_unit(self, units: list[Unit]) -> None:
        self._units = {str(unit.pk): unit for unit in units}
        self.fields["unit"] = forms.ChoiceField(  # type: ignore[attr-defined]
            label=_("Unit concerned"),
            choices=[("", _("All")), *((str(u.pk), str(u)) for u in units)],
            required=False,
        )

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        unit = self._units.get(data.get("unit") or "")
        organisation = data.get("organisation")
        if (
            unit is not None
            and organisation is not None
            and unit.organisation_id != organisation.pk
        ):
            raise forms.ValidationError(_("This unit is not part of the chosen organisation."))
        data["units"] = units_below(unit, list(self._units.values())) if unit else []
        return data


class DashboardFilterForm(UnitFilterMixin, StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, organisations, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self._add_unit(units)
        self._style()


class CaseQueueFilterForm(UnitFilterMixin, QueueFilterForm):
    """The queue's filters (reports.forms.QueueFilterForm) plus the unit concerned and the
    assignee (issue 10 "Work queue"). The phase field is the status: open cases unless the user
    asks for all, those awaiting a decision or one phase (cases.queue). The organisation shows
    only to someone who sees cases of several; the unit only where there are units."""

    # The fields in the order of the filter bar; the URL's parameter names.
    order = ("q", "phase", "assignee", "deadline", "organisation", "unit", "kind")

    def __init__(
        self, *args, organisations, units: list[Unit], assignees: list[tuple[str, str]], **kwargs
    ):
        super().__init__(*args, organisations=organisations, **kwargs)
        self._add_unit(units)
        phase = cast(forms.ChoiceField, self.fields["phase"])
        phase.label = _("Status")
        phase.choices = queue.STATUS_CHOICES
        self.fields["assignee"] = forms.ChoiceField(
            label=_("Handler"),
            choices=[
                ("", _("Anyone")),
                (queue.MINE, _("Assigned to me")),
                (queue.UNASSIGNED, _("No handler yet")),
                *assignees,
            ],
            required=False,
        )
        if len(organisations) < 2:
            del self.fields["organisation"]
        if not units:
            del self.fields["unit"]
        self.order_fields(self.order)
        self.fields["q"].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
        self._style()

    def clean(self):
        data = super().clean()
        data.setdefault("organisation", None)
        return data
