"""The legal terms of the reporting process, computed in one place (Signalen's deadlines.py).

RULES R3: acknowledgement within 7 calendar days of receipt.
RULES R4: feedback within 3 months of the acknowledgement, or, when none was sent, within
3 months after the 7-day term ended.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
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


def _urgency(due: datetime, met_at: datetime | None, now: datetime, near_days: int) -> Urgency:
    if met_at is not None:
        return Urgency.DONE
    if now > due:
        return Urgency.OVERDUE
    if now >= due - timedelta(days=near_days):
        return Urgency.NEAR
    return Urgency.ON_TIME


def acknowledgement_deadline(
    received_at: datetime, acknowledged_at: datetime | None, now: datetime
) -> Deadline:
    due = acknowledgement_due(received_at)
    return Deadline(
        "acknowledgement",
        due,
        acknowledged_at,
        _urgency(due, acknowledged_at, now, settings.ACKNOWLEDGEMENT_NEAR_DAYS),
    )


def feedback_deadline(
    received_at: datetime,
    acknowledged_at: datetime | None,
    feedback_given_at: datetime | None,
    now: datetime,
) -> Deadline:
    due = feedback_due(received_at, acknowledged_at)
    return Deadline(
        "feedback",
        due,
        feedback_given_at,
        _urgency(due, feedback_given_at, now, settings.FEEDBACK_NEAR_DAYS),
    )
