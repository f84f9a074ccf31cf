"""The terms of the reporting process and when they are due soon, in one place (Signalen's
deadlines.py). Pages, the dashboard and the reminders all ask this module.

RULES R3: acknowledgement within 7 calendar days of receipt.
RULES R4: feedback within 3 months of the acknowledgement, or, when none was sent, within
3 months after the 7-day term ended; met by the final feedback.
Interim feedback every N weeks (per organisation) until the final feedback (seed 004 §6).
"Due soon": from DUE_SOON_DAYS before a deadline, the same for every deadline (`urgency`).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def acknowledgement_due(received_at: datetime) -> datetime:
    return received_at + timedelta(days=settings.ACKNOWLEDGEMENT_DAYS)  # RULES R3


def feedback_due(received_at: datetime, acknowledged_at: datetime | None) -> datetime:
    start = acknowledged_at or acknowledgement_due(received_at)  # RULES R4
    return add_months(start, settings.FEEDBACK_MONTHS)


def interim_feedback_due(
    *,
    acknowledged_at: datetime | None,
    last_feedback_at: datetime | None,
    final_feedback_at: datetime | None,
    is_closed: bool,
    every_weeks: int,
) -> datetime | None:
    """Interim feedback every `every_weeks` weeks after the last feedback (or the
    acknowledgement), until the final feedback; none before acknowledgement or after closure."""
    if acknowledged_at is None or final_feedback_at is not None or is_closed:
        return None
    return (last_feedback_at or acknowledged_at) + timedelta(weeks=every_weeks)


class Urgency(Enum):
    DONE = "done"
    ON_TIME = "on_time"
    NEAR = "near"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return str(
            {
                Urgency.DONE: _("done"),
                Urgency.ON_TIME: _("on time"),
                Urgency.NEAR: _("due soon"),
                Urgency.OVERDUE: _("overdue"),
            }[self]
        )


@dataclass(frozen=True)
class Deadline:
    name: str
    due: datetime
    met_at: datetime | None
    urgency: Urgency


def due_soon_window() -> timedelta:
    """How long before a deadline it counts as due soon: one setting for every deadline."""
    return timedelta(days=settings.DUE_SOON_DAYS)


def end_of_day(day: date) -> datetime:
    """A deadline given as a date (aftercare) runs until the end of that day."""
    return timezone.make_aware(datetime.combine(day, time.max))


def urgency(due: datetime | date, met_at: datetime | None, now: datetime) -> Urgency:
    """The one decision of done, overdue, due soon or on time."""
    if not isinstance(due, datetime):
        due = end_of_day(due)
    if met_at is not None:
        return Urgency.DONE
    if now > due:
        return Urgency.OVERDUE
    if now >= due - due_soon_window():
        return Urgency.NEAR
    return Urgency.ON_TIME


def deadline(name: str, due: datetime | date, met_at: datetime | None, now: datetime) -> Deadline:
    if not isinstance(due, datetime):
        due = end_of_day(due)
    return Deadline(name, due, met_at, urgency(due, met_at, now))


class CaseTerms(Protocol):
    """What the legal deadlines read from a case (a reports.Report)."""

    received_at: datetime | None
    acknowledged_at: datetime | None
    feedback_due: datetime | None
    feedback_given_at: datetime | None


def acknowledgement_deadline(case: CaseTerms, now: datetime) -> Deadline:
    assert case.received_at is not None
    return deadline(
        "acknowledgement", acknowledgement_due(case.received_at), case.acknowledged_at, now
    )


def feedback_deadline(case: CaseTerms, now: datetime) -> Deadline:
    """R4, met by the final feedback. The stored term counts: reopening starts a new one."""
    assert case.received_at is not None
    due = case.feedback_due or feedback_due(case.received_at, case.acknowledged_at)
    return deadline("feedback", due, case.feedback_given_at, now)


def legal_deadlines(case: CaseTerms, now: datetime) -> list[Deadline]:
    """R3 and R4 of a submitted case, each with the moment it was met."""
    if case.received_at is None:
        return []
    return [acknowledgement_deadline(case, now), feedback_deadline(case, now)]
