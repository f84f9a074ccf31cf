"""The registry's forms: an entry's facts as typed by a coordinator (manual entries and
corrections), with the lists (violation types, measures, channels, executors) of one
registration year, and the registry list's filters."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.cases.constants import FollowUpRoute
from integriteit.organisations.models import Unit
from integriteit.reports.constants import Kind

from . import taxonomy
from .constants import EntrySource
from .entries import EntryValues
from .selectors import CLOSED, OPEN, Filters, violation_type_choices


class DateInput(forms.DateInput):
    """A browser's date field: it reads and writes ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


FIRST_YEAR = 2005  # the oldest lists (REGISTRY.md)
ESTABLISHED = "established"
NOT_ESTABLISHED = "not_established"
REASON_MAX = 500


def years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


class EntryForm(forms.Form):
    """Every field of EntryValues. Findings are one choice per violation type, measures one
    count per measure; the lists are those valid in `year`."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        help_text=_("The file number of the case, unique within the organisation."),
    )
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Kind.choices)
    unit = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Unit"),
        help_text=_("Only the highest level, so that nobody can be recognised."),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    received_on = forms.DateField(label=_("Received"), widget=DateInput())
    acknowledged_on = forms.DateField(label=_("Acknowledged"), required=False, widget=DateInput())
    fed_back_on = forms.DateField(
        label=_("Feedback on the outcome"),
        required=False,
        widget=DateInput(),
    )
    closed_on = forms.DateField(label=_("Closed"), required=False, widget=DateInput())
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), required=False, choices=[("", "–"), *FollowUpRoute.choices]
    )
    violation_types = forms.MultipleChoiceField(
        label=_("Violation types"), required=False, widget=forms.CheckboxSelectMultiple
    )
    investigated = forms.BooleanField(label=_("An investigation followed"), required=False)
    executor = forms.ChoiceField(label=_("Investigated by"), required=False)
    criminal_complaints = forms.IntegerField(
        label=_("Criminal complaints"), min_value=0, max_value=999, initial=0
    )
    persons_involved = forms.IntegerField(
        label=_("Persons involved"), min_value=0, max_value=999, initial=0
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("About the registration, never about people: no names, no descriptions."),
    )

    def __init__(
        self,
        data=None,
        *,
        organisations,
        year: int,
        values: EntryValues | None = None,
        reason_required: bool = False,
        fixed_organisation=None,
        lists_follow_receipt: bool = True,
    ):
        self.year = year
        # Manual and imported entries are counted in the lists of their year of receipt; an
        # entry of the case handling in the current lists (feed.py).
        self.lists_follow_receipt = lists_follow_receipt
        self.lists = {
            kind: taxonomy.version_for(kind, year)
            for kind in (
                taxonomy.VIOLATION_TYPE,
                taxonomy.MEASURE,
                taxonomy.CHANNEL,
                taxonomy.EXECUTOR,
            )
        }
        self.types = list(self.lists[taxonomy.VIOLATION_TYPE].categories.all())
        self.measure_items = list(self.lists[taxonomy.MEASURE].categories.all())
        super().__init__(data, initial=_initial(values) if values else None)
        if fixed_organisation is not None:
            organisations = organisations.filter(pk=fixed_organisation.pk)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            # One organisation: shown, not chosen (a posted value is ignored).
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].disabled = True
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation__in=organisations, parent=None
        ).select_related("organisation")
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["channel"].choices = [("", "–"), *_choices(self.lists[taxonomy.CHANNEL])]
        self.fields["executor"].choices = [("", "–"), *_choices(self.lists[taxonomy.EXECUTOR])]
        self.fields["violation_types"].choices = [(c.code, c.name) for c in self.types]
        self.fields["reason"].required = reason_required
        for item in self.types:
            self.fields[f"finding_{item.code}"] = forms.ChoiceField(
                label=item.name,
                required=False,
                choices=[
                    ("", _("No finding")),
                    (ESTABLISHED, _("Established")),
                    (NOT_ESTABLISHED, _("Not established")),
                ],
            )
        for item in self.measure_items:
            self.fields[f"measure_{item.code}"] = forms.IntegerField(
                label=item.name, required=False, min_value=0, max_value=999, initial=0
            )
        # Problems of the findings and measures as a whole (entries.problems), shown above them.
        self.group_errors: dict[str, list[str]] = {}

    def finding_fields(self):
        return [self[f"finding_{item.code}"] for item in self.types]

    def measure_fields(self):
        return [self[f"measure_{item.code}"] for item in self.measure_items]

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def clean(self):
        data = super().clean()
        received = data.get("received_on")
        if (
            received
            and self.lists_follow_receipt
            and any(
                taxonomy.version_for(kind, received.year) != version
                for kind, version in self.lists.items()
            )
        ):
            self.add_error(
                "received_on",
                _(
                    "The date of receipt falls in a year with other lists than those of "
                    "%(year)s shown here: choose the year of receipt first."
                )
                % {"year": self.year},
            )
        unit = data.get("unit")
        organisation = data.get("organisation")
        if unit and organisation and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("This unit belongs to another organisation."))
        return data

    def values(self) -> EntryValues:
        data = self.cleaned_data
        findings = {}
        for item in self.types:
            choice = data.get(f"finding_{item.code}")
            if choice:
                findings[item.code] = choice == ESTABLISHED
        measures = {
            item.code: data[f"measure_{item.code}"]
            for item in self.measure_items
            if data.get(f"measure_{item.code}")
        }
        return EntryValues(
            organisation_id=data["organisation"].pk,
            reference=data["reference"],
            kind=data["kind"],
            received_on=data["received_on"],
            unit_id=data["unit"].pk if data.get("unit") else None,
            channel=data.get("channel") or "",
            violation_types=sorted(data.get("violation_types") or []),
            acknowledged_on=data.get("acknowledged_on"),
            fed_back_on=data.get("fed_back_on"),
            closed_on=data.get("closed_on"),
            follow_up=data.get("follow_up") or "",
            investigated=bool(data.get("investigated")),
            executor=data.get("executor") or "",
            findings=dict(sorted(findings.items())),
            measures=dict(sorted(measures.items())),
            criminal_complaints=data.get("criminal_complaints") or 0,
            persons_involved=data.get("persons_involved") or 0,
            version_year=self.year,
        )

    def add_problems(self, found: dict[str, list[str]]) -> None:
        """entries.problems (or the reference check) beside the fields they concern."""
        for field, messages in found.items():
            if field in ("findings", "measures"):
                self.group_errors.setdefault(field, []).extend(messages)
            elif field in self.fields:
                for message in messages:
                    self.add_error(field, message)
            else:
                for message in messages:
                    self.add_error(None, message)


def _choices(version) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in version.categories.all()]


def _unit_label(unit: Unit) -> str:
    return f"{unit.organisation.abbreviation or unit.organisation.name} – {unit.name}"


def _initial(values: EntryValues) -> dict:
    initial = {
        "organisation": values.organisation_id,
        "reference": values.reference,
        "kind": values.kind,
        "unit": values.unit_id,
        "channel": values.channel,
        "received_on": values.received_on,
        "acknowledged_on": values.acknowledged_on,
        "fed_back_on": values.fed_back_on,
        "closed_on": values.closed_on,
        "follow_up": values.follow_up,
        "violation_types": values.violation_types,
        "investigated": values.investigated,
        "executor": values.executor,
        "criminal_complaints": values.criminal_complaints,
        "persons_involved": values.persons_involved,
    }
    for code, established in values.findings.items():
        initial[f"finding_{code}"] = ESTABLISHED if established else NOT_ESTABLISHED
    for code, count in values.measures.items():
        initial[f"measure_{code}"] = count
    return initial


class YearForm(forms.Form):
    """Which year's lists the entry form shows."""

    jaar = forms.TypedChoiceField(label=_("Year of receipt"), coerce=int, choices=())

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["jaar"].choices = [(year, str(year)) for year in years()]


class FilterForm(forms.Form):
    """The registry list's filters (GET)."""

    organisation = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Organisation"), empty_label=_("All")
    )
    year = forms.TypedChoiceField(label=_("Year of receipt"), required=False, coerce=int)
    kind = forms.ChoiceField(label=_("Kind of report"), required=False)
    violation_type = forms.ChoiceField(label=_("Violation type"), required=False)
    status = forms.ChoiceField(label=_("Open or closed"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    on = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=DateInput(),
        help_text=_("Open or closed on this day; today when empty."),
    )
    reference = forms.CharField(label=_("Search by reference"), required=False, max_length=40)

    def __init__(self, data=None, *, organisations):
        super().__init__(data)
        self.fields["organisation"].queryset = organisations
        self.fields["year"].choices = [("", _("All")), *((y, str(y)) for y in years())]
        self.fields["kind"].choices = [("", _("All")), *Kind.choices]
        self.fields["violation_type"].choices = [("", _("All")), *violation_type_choices()]
        self.fields["status"].choices = [
            ("", _("All")),
            (OPEN, _("Open at the reference date")),
            (CLOSED, _("Closed at the reference date")),
        ]
        self.fields["source"].choices = [("", _("All")), *EntrySource.choices]
        self.shows_organisation = organisations.count() > 1
        if not self.shows_organisation:
            del self.fields["organisation"]

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        organisation = data.get("organisation")
        return Filters(
            organisation_id=organisation.pk if organisation else None,
            year=data.get("year") or None,
            kind=data.get("kind") or "",
            violation_type=data.get("violation_type") or "",
            status=data.get("status") or "",
            source=data.get("source") or "",
            reference=(data.get("reference") or "").strip(),
            on=data.get("on"),
        )


def today() -> datetime.date:
    return timezone.localdate()
