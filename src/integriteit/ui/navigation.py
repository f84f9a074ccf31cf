"""The header's navigation, filled by each app from its `apps.py` ready() (ADR 0002).

An app registers an entry per page a role starts from: its label, its URL name, and for whom it
shows. `ui` renders the header from what is registered and imports no domain module, so a new
module adds its pages without changing this one or the header template.

Who sees an entry is a rule of the app that owns the page, the same one its view asks: a page
that would answer 404 is not linked, and every page a role uses is (ui/tests/test_navigation.py).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, QuerySet
from django.utils.functional import Promise

from integriteit.access.rules import is_staff_member, is_verified_staff

# A rule for whom an entry shows: a bool, or querysets of which one must hold a row (asked as
# EXISTS in one query for all entries, as the header is on every page).
Shown = Callable[[Any], bool | QuerySet | Sequence[QuerySet]]

# A number shown beside an entry (e.g. unread notifications), asked only for entries shown.
Count = Callable[[Any], int]


class Audience(StrEnum):
    STAFF = "staff"  # people with a role or a case, logged in with the second factor
    VISITORS = "visitors"  # everyone who is not staff: the reporter's side
    EVERYONE = "everyone"


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    audience: Audience
    shown: Shown | None = None  # None: everyone in the audience
    order: int = 100
    count: Count | None = None
    # What `count` gave for the user of this request (set by `entries_for`); 0 shows nothing.
    counted: int = 0
    # Read after the number by screen readers, e.g. "unread".
    count_label: str | Promise = ""


_entries: dict[str, Entry] = {}


def register_entry(entry: Entry) -> None:
    _entries[entry.url_name] = entry


def registered() -> list[Entry]:
    return sorted(_entries.values(), key=lambda entry: (entry.order, entry.url_name))


def _as_querysets(found: QuerySet | Sequence[QuerySet]) -> Sequence[QuerySet]:
    return [found] if isinstance(found, QuerySet) else found


def _answers(user, querysets: list[QuerySet]) -> list[bool]:
    """Whether each queryset holds a row: one SELECT of one row holding every answer."""
    if not querysets:
        return []
    exists = {f"answer_{index}": Exists(queryset) for index, queryset in enumerate(querysets)}
    one_row = get_user_model().objects.filter(pk=user.pk).order_by().annotate(**exists)
    return [bool(answer) for answer in one_row.values_list(*exists)[0]]


def entries_for(user) -> list[Entry]:
    """The entries `user` sees, in order. Without the second factor no staff entry shows, and
    no rule is asked (they would give nothing, access.rules)."""
    verified = bool(user and is_verified_staff(user))
    staff = verified and is_staff_member(user)
    candidates = [
        entry
        for entry in registered()
        if entry.audience == Audience.EVERYONE or (entry.audience == Audience.STAFF) == staff
    ]
    shown: list[Entry] = []
    asked: list[tuple[Entry, int, int]] = []  # entry, first and last index into querysets
    querysets: list[QuerySet] = []
    for entry in candidates:
        found = True if entry.shown is None else (entry.shown(user) if verified else False)
        if isinstance(found, bool):
            if found:
                shown.append(entry)
            continue
        first = len(querysets)
        querysets.extend(_as_querysets(found))
        asked.append((entry, first, len(querysets)))
    answers = _answers(user, querysets)
    shown += [entry for entry, first, last in asked if any(answers[first:last])]
    if verified:
        shown = [
            replace(entry, counted=entry.count(user)) if entry.count else entry for entry in shown
        ]
    return sorted(shown, key=lambda entry: (entry.order, entry.url_name))
