"""Ids from a query string or a form (issue 8 item 12: a non-integer unit gave a 500).

A value a user can edit is parsed as the model's primary key before any query uses it: "abc",
"1.5", "²", a number beyond the column's range or a non-UUID is no key at all, so the caller
answers as for an id that does not exist (a message, or 404), never with a server error.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models


def primary_key(model: type[models.Model], value: Any) -> Any | None:
    """`value` as a primary key of `model`, or None when it cannot be one."""
    field = model._meta.pk
    assert field is not None
    try:
        key = field.to_python(value)
    except ValidationError:
        return None
    if key is None:
        return None
    if isinstance(field, models.IntegerField):
        # SQLite raises OverflowError for a number beyond 64 bits; PostgreSQL would compare it.
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and key < low) or (high is not None and key > high):
            return None
    return key
