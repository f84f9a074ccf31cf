"""One way to write a date for people (issue 10 defect 7): "8 maart 2027" in Dutch, "8 March
2027" in English, always in local time. Templates use the `day` and `moment` filters (ui tag
library); Python code that puts a date into a text (a message to the reporter, a reminder, a
to-do line) calls `day`. A reporter saw the same deadline as 08-03-2027 in a message and as
8 maart 2027 beside it; staff pages mixed 08-03-2027, 2027-03-08 and 8 maart 2027.

Two formats, each for its place, on the reporter's side and the staff side alike:

- running text, headings, definition lists, e-mails: `day` / `moment`, the month written out
  ("8 maart 2027", "8 maart 2027 14:05");
- a table cell that holds a date and little else (the work queue, the adviser's log, lists of
  due dates): `cell_day` / `cell_moment`, the month abbreviated ("8 mrt 2027") so columns stay
  narrow. A cell that holds a phrase ("Done on …") is running text.

Never numeric (08-03-2027 reads as 3 August in English); machine values (URLs, `datetime`
attributes, file names, the audit trail's timestamps) keep their ISO form.
"""

import datetime

from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

DAY = "j F Y"
MOMENT = "j F Y H:i"
# The month abbreviated as each language writes it: lower case in Dutch ("8 mrt 2027", where
# Django's "M" gives "Mrt"), capitalised in English ("8 Mar 2027", where "b" gives "mar").
CELL_DAY = {"nl": "j b Y", "en": "j M Y"}
CELL_MOMENT = {"nl": "j b Y H:i", "en": "j M Y H:i"}


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _format(value, pattern: str) -> str:
    return "" if value is None else date_filter(_local(value), pattern)


def _in_language(patterns: dict[str, str]) -> str:
    language = (translation.get_language() or "nl").split("-")[0]
    return patterns.get(language, patterns["nl"])


def day(value) -> str:
    """The date of `value` (a date or datetime), as people write it; "" for None."""
    return _format(value, DAY)


def moment(value) -> str:
    """The date and time of `value`, as people write them; "" for None."""
    return _format(value, MOMENT)


def cell_day(value) -> str:
    """The date of `value` for a table cell: "8 mrt 2027"; "" for None."""
    return _format(value, _in_language(CELL_DAY))


def cell_moment(value) -> str:
    """The date and time of `value` for a table cell: "8 mrt 2027 14:05"; "" for None."""
    return _format(value, _in_language(CELL_MOMENT))
