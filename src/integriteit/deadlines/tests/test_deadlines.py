"""The legal terms: acknowledgement within 7 days (RULES R3), feedback within 3 months (R4)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypedDict

import pytest
from django.core.cache import cache
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from integriteit.deadlines.services import (
    Urgency,
    acknowledgement_deadline,
    acknowledgement_due,
    add_months,
    feedback_deadline,
    feedback_due,
    interim_feedback_due,
    legal_deadlines,
    urgency,
)
from integriteit.reports.models import Report


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# RULES R3
def test_acknowledgement_due_seven_calendar_days_after_receipt():
    assert acknowledgement_due(at(2026, 3, 2)) == at(2026, 3, 9)
    assert acknowledgement_due(at(2026, 12, 28, 23)) == at(2027, 1, 4, 23)


# RULES R4
def test_feedback_three_months_after_acknowledgement():
    assert feedback_due(at(2026, 3, 2), at(2026, 3, 5, 14)) == at(2026, 6, 5, 14)


# RULES R4
def test_feedback_without_acknowledgement_three_months_after_day_seven():
    assert feedback_due(at(2026, 3, 2), None) == at(2026, 6, 9)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (at(2026, 1, 31), 3, at(2026, 4, 30)),
        (at(2026, 11, 30), 3, at(2027, 2, 28)),
        (at(2027, 11, 30), 3, at(2028, 2, 29)),  # leap year
        (at(2026, 10, 15), 3, at(2027, 1, 15)),
        (at(2026, 12, 31), 2, at(2027, 2, 28)),
        (at(2026, 5, 31), 1, at(2026, 6, 30)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_month_end_clamping_through_the_rules():
    # Acknowledged on 31 January: feedback by 30 April.
    assert feedback_due(at(2026, 1, 20), at(2026, 1, 31)) == at(2026, 4, 30)
    # Received 24 January, no acknowledgement: day 7 is 31 January, feedback by 30 April.
    assert feedback_due(at(2026, 1, 24), None) == at(2026, 4, 30)


@dataclass
class Case:
    """The facts the legal deadlines read from a report (deadlines.services.CaseTerms)."""

    received_at: datetime | None
    acknowledged_at: datetime | None = None
    feedback_due: datetime | None = None
    feedback_given_at: datetime | None = None


def test_acknowledgement_urgency_boundaries(settings):
    settings.DUE_SOON_DAYS = 2
    received = at(2026, 3, 2)
    due = at(2026, 3, 9)

    def urgency_at(now, acknowledged=None):
        deadline = acknowledgement_deadline(Case(received, acknowledged), now)
        assert deadline.due == due
        return deadline.urgency

    assert urgency_at(received) == Urgency.ON_TIME
    assert urgency_at(due - timedelta(days=2, seconds=1)) == Urgency.ON_TIME
    assert urgency_at(due - timedelta(days=2)) == Urgency.NEAR
    assert urgency_at(due) == Urgency.NEAR
    assert urgency_at(due + timedelta(seconds=1)) == Urgency.OVERDUE
    # Done wins, also when it was done late.
    late = due + timedelta(days=1)
    assert urgency_at(due + timedelta(days=30), acknowledged=late) == Urgency.DONE


def test_feedback_urgency_boundaries(settings):
    settings.DUE_SOON_DAYS = 14
    received, acknowledged = at(2026, 3, 2), at(2026, 3, 4)
    due = at(2026, 6, 4)

    def urgency_at(now, given=None):
        deadline = feedback_deadline(Case(received, acknowledged, feedback_given_at=given), now)
        assert deadline.due == due and deadline.name == "feedback"
        return deadline.urgency

    assert urgency_at(due - timedelta(days=14, seconds=1)) == Urgency.ON_TIME
    assert urgency_at(due - timedelta(days=14)) == Urgency.NEAR
    assert urgency_at(due) == Urgency.NEAR
    assert urgency_at(due + timedelta(microseconds=1)) == Urgency.OVERDUE
    assert urgency_at(due + timedelta(days=1), given=due) == Urgency.DONE


def test_feedback_deadline_is_met_by_the_final_feedback():
    """Issue 9 defect 3: the staff and mailbox lists passed no feedback moment, so R4 showed
    "overdue" after the final feedback. legal_deadlines reads it from the case itself."""
    received, acknowledged = at(2026, 3, 2), at(2026, 3, 4)
    given = at(2026, 5, 20)
    _ack, feedback = legal_deadlines(Case(received, acknowledged, None, given), at(2026, 9, 1))
    assert feedback.met_at == given
    assert feedback.urgency == Urgency.DONE


def test_a_reopened_case_counts_its_new_feedback_term():
    received, acknowledged = at(2026, 3, 2), at(2026, 3, 4)
    new_term = at(2026, 11, 2)  # reopening stores a new R4 date (cases.services.reopen)
    case = Case(received, acknowledged, feedback_due=new_term)
    _ack, feedback = legal_deadlines(case, at(2026, 9, 1))
    assert feedback.due == new_term
    assert feedback.urgency == Urgency.ON_TIME


def test_no_deadlines_before_submission():
    assert legal_deadlines(Case(None), at(2026, 3, 2)) == []


@pytest.mark.parametrize("days", [1, 3, 7, 14, 30], ids=lambda d: f"{d}_days")
def test_due_soon_is_one_window_for_every_deadline(settings, days):
    """Issue 9 defect 4: one setting decides "due soon", whatever the deadline."""
    settings.DUE_SOON_DAYS = days
    now = at(2026, 3, 2)
    inside, outside = now + timedelta(days=days), now + timedelta(days=days, seconds=1)
    assert urgency(inside, None, now) == Urgency.NEAR
    assert urgency(outside, None, now) == Urgency.ON_TIME


def test_a_date_deadline_runs_to_the_end_of_its_day(settings):
    settings.DUE_SOON_DAYS = 3
    assert urgency(date(2026, 3, 2), None, at(2026, 3, 2, 20)) == Urgency.NEAR
    assert urgency(date(2026, 3, 1), None, at(2026, 3, 2, 0)) == Urgency.OVERDUE


class InterimTerms(TypedDict):
    """The arguments of `interim_feedback_due`."""

    acknowledged_at: datetime | None
    last_feedback_at: datetime | None
    final_feedback_at: datetime | None
    is_closed: bool
    every_weeks: int


def test_interim_feedback_every_n_weeks_until_the_final_feedback():
    acknowledged, last = at(2026, 3, 4), at(2026, 4, 1)
    terms: InterimTerms = {
        "acknowledged_at": acknowledged,
        "last_feedback_at": None,
        "final_feedback_at": None,
        "is_closed": False,
        "every_weeks": 6,
    }
    assert interim_feedback_due(**terms) == acknowledged + timedelta(weeks=6)
    assert interim_feedback_due(**terms | {"last_feedback_at": last}) == last + timedelta(weeks=6)
    assert interim_feedback_due(**terms | {"final_feedback_at": last}) is None
    assert interim_feedback_due(**terms | {"is_closed": True}) is None
    assert interim_feedback_due(**terms | {"acknowledged_at": None}) is None


receipt_moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
)


@given(
    received=receipt_moments,
    delay=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
)
def test_feedback_always_after_acknowledgement_due(received, delay):
    acknowledged = received + delay
    ack_due = acknowledgement_due(received)
    with_ack = feedback_due(received, acknowledged)
    without_ack = feedback_due(received, None)
    assert with_ack > ack_due
    assert with_ack > acknowledged
    assert without_ack > ack_due
    # Three calendar months are between 89 and 92 days.
    assert timedelta(days=89) <= with_ack - acknowledged <= timedelta(days=92)
    assert timedelta(days=89) <= without_ack - ack_due <= timedelta(days=92)
    # A later acknowledgement never makes the feedback term earlier.
    assert feedback_due(received, acknowledged + timedelta(days=1)) >= with_ack


@pytest.mark.django_db
def test_work_queue_lists_overdue_acknowledgement(people, staff_client, make_report):
    late, _ = make_report(description="Acht dagen geleden ontvangen.")
    fresh, _ = make_report(description="Vandaag ontvangen.")
    eight_days_ago = timezone.now() - timedelta(days=8)
    Report.objects.filter(pk=late.pk).update(
        received_at=eight_days_ago, acknowledgement_due=acknowledgement_due(eight_days_ago)
    )
    coordinator = staff_client(people["coordinator"])
    page = coordinator.get("/behandeling/", {"deadline": "ack_overdue"}).content.decode()
    assert late.reference in page
    assert fresh.reference not in page
    everything = coordinator.get("/behandeling/").content.decode()
    assert late.reference in everything and fresh.reference in everything
    # Once acknowledged it is no longer overdue.
    coordinator.post(f"/behandeling/{late.pk}/ontvangst/", {"text": "Ontvangen."})
    page = coordinator.get("/behandeling/", {"deadline": "ack_overdue"}).content.decode()
    assert late.reference not in page


@pytest.mark.django_db
def test_mailbox_shows_deadline_dates(make_report):
    cache.clear()
    report, code = make_report()
    client = Client()
    assert client.post("/postbus/", {"code": code}).status_code == 302
    page = client.get("/postbus/berichten/").content.decode()
    with translation.override("nl"):
        ack = date_filter(timezone.localtime(report.acknowledgement_due), "j F Y")
        feedback = date_filter(timezone.localtime(report.feedback_due), "j F Y")
    assert report.acknowledgement_due == acknowledgement_due(report.received_at)
    assert report.feedback_due == feedback_due(report.received_at, None)
    assert ack in page and feedback in page
