"""One way to write a date for people (issue 10 defect 7): "8 maart 2027" in Dutch, "8 March
2027" in English, always in local time. Templates use the `day` and `moment` filters (ui tag
library); Python code that puts a date into a text (a message to the reporter) calls `day`.
A reporter saw the same deadline as 08-03-2027 in a message and as 8 maart 2027 beside it."""

import datetime

from django.template.defaultfilters import date as date_filter
from django.utils import timezone

DAY = "j F Y"
MOMENT = "j F Y H:i"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value) -> str:
    """The date of `value` (a date or datetime), as people write it; "" for None."""
    return "" if value is None else date_filter(_local(value), DAY)


def moment(value) -> str:
    """The date and time of `value`, as people write them; "" for None."""
    return "" if value is None else date_filter(_local(value), MOMENT)
