"""Form fields that answer bad input with a message instead of a server error (issue 8 item 12):
ids that cannot be a primary key, and dates no process of ours can have."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
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
