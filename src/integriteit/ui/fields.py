"""Form fields that answer bad input with a message instead of a server error (issue 8 item 12):
ids that cannot be a primary key, and dates no process of ours can have; and the rules by which
every field is rendered (ui/field.html, the `field` tag): how a length limit is shown and kept
(issue 10 defect 8) and which field says "(optional)" (issue 10 defect 7)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .ids import primary_key

# Year 1 or 9999 parse as dates, but converting them to UTC or adding a term to them overflows
# (a 500 when stored or when a deadline is computed). No report, case or booking lies outside.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def plausible_date(value: datetime.date) -> None:
    """Validator for DateField and DateTimeField values."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between %(earliest)d and %(latest)d."),
            code="implausible_date",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing values that cannot be a primary key before it queries them:
    Django guards an `exact` lookup against numbers beyond the column's range, not the `in`
    lookup this field uses, so on SQLite such a value ended in OverflowError (a 500)."""

    def clean(self, value):
        queryset = self.queryset
        if queryset is not None and self.to_field_name is None and isinstance(value, list | tuple):
            for pk in value:
                if pk not in self.empty_values and primary_key(queryset.model, pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


# Widgets whose length limit the page states and counts. A single-line answer (a name, a date, a
# place) is far below its limit; it loses nothing either, but gets no counter.
COUNTED_WIDGETS = {"textarea"}


def length_limit(bound_field: BoundField) -> int | None:
    """The most characters the field takes (its max_length), or None."""
    limit = getattr(bound_field.field, "max_length", None)
    return limit if isinstance(limit, int) else None


def counted_limit(bound_field: BoundField) -> int | None:
    """The limit the page states before she types and counts as she types, or None."""
    return length_limit(bound_field) if bound_field.widget_type in COUNTED_WIDGETS else None


def described_by(bound_field: BoundField) -> str:
    """The ids of what ui/field.html shows about the field: its description (help text and
    limit) and its error."""
    ids = []
    if bound_field.help_text or counted_limit(bound_field):
        ids.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    return " ".join(ids)


# Rendered choice by choice by ui/field.html, not as one widget.
CHOICE_WIDGETS = {"checkboxselectmultiple", "radioselect"}


def render_widget(bound_field: BoundField) -> SafeString | None:
    """The field's input without the `maxlength` attribute (issue 10 defect 8): with it a
    browser cuts a pasted text at the limit without a word and the form is accepted, so
    everything past the limit is lost. Without it the whole text arrives, and the server answers
    a text over the limit with an error, the text kept in the field. The limit moves to
    `data-maxlength`, for the counter (ui/static/ui/enhance.js)."""
    if bound_field.widget_type in CHOICE_WIDGETS:
        return None
    attrs: dict[str, str | bool] = {}
    limit = length_limit(bound_field)
    if limit is not None:
        attrs["maxlength"] = False  # False leaves an attribute out
    if counted_limit(bound_field):
        attrs["data-maxlength"] = str(limit)
        attrs["data-counter"] = f"{bound_field.auto_id}_counter"
    described = described_by(bound_field)
    if described:
        attrs["aria-describedby"] = described
    return bound_field.as_widget(attrs=attrs)


def is_optional(bound_field: BoundField) -> bool:
    """Whether the label says "(optional)": only when leaving the field empty is always fine.
    A field the form requires in some cases (its clean() refuses it empty then) is named in the
    form's `conditionally_required` and says nothing; its help text says when it is needed."""
    if bound_field.field.required:
        return False
    return bound_field.name not in getattr(bound_field.form, "conditionally_required", ())
