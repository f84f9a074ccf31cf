"""What the case page, the reporter's mailbox and the dashboard say about a deadline: the same
answer from deadlines.services, with the moment it was met (issue 9 defects 3 and 4)."""

import datetime

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client

from integriteit.cases import dashboard
from integriteit.cases.tests.flow import Flow, verified
from integriteit.deadlines.services import Urgency, acknowledgement_due, urgency
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.reports.selectors import deadlines_of
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db

# Long enough for the R4 term (3 months) of a case handled today to lie in the past.
MONTHS_AGO = datetime.timedelta(days=200)


@pytest.fixture
def fed_back_long_ago(people, make_report):
    """A case whose final feedback was given, moved back in time until its R4 date has passed."""
    report, code = make_report()
    Flow(people, report=report).to(Phase.AFTERCARE)
    Report.objects.filter(pk=report.pk).update(
        received_at=F("received_at") - MONTHS_AGO,
        acknowledgement_due=F("acknowledgement_due") - MONTHS_AGO,
        acknowledged_at=F("acknowledged_at") - MONTHS_AGO,
        feedback_due=F("feedback_due") - MONTHS_AGO,
        feedback_given_at=F("feedback_given_at") - MONTHS_AGO,
    )
    return Report.objects.get(pk=report.pk), code


def _feedback(deadlines):
    [feedback] = [d for d in deadlines if d.name == "feedback"]
    return feedback


def test_case_page_shows_feedback_as_met_after_the_final_feedback(fed_back_long_ago, people):
    """Failed before: the case page's deadlines passed no feedback moment: "overdue"."""
    report, _code = fed_back_long_ago
    client = verified_client(people["coordinator"])
    response = client.get(f"/behandeling/{report.pk}/")
    assert response.status_code == 200
    feedback = _feedback(response.context["summary"]["deadlines"])  # the page's header
    assert feedback.met_at == report.feedback_given_at
    assert feedback.urgency == Urgency.DONE


def test_mailbox_shows_feedback_as_met_after_the_final_feedback(fed_back_long_ago):
    """Failed before: the reporter's mailbox summary said "overdue" while its progress panel
    said "done"."""
    report, code = fed_back_long_ago
    cache.clear()
    client = Client()
    assert client.post("/postbus/", {"code": code}).status_code == 302
    response = client.get("/postbus/berichten/")
    feedback = _feedback(response.context["deadlines"])
    assert feedback.met_at == report.feedback_given_at
    assert feedback.urgency == Urgency.DONE


@pytest.mark.parametrize("days_left", [1, 5], ids=["1_day_left", "5_days_left"])
def test_dashboard_and_case_page_agree_on_due_soon(people, make_report, settings, days_left):
    """Failed before: an acknowledgement due in 5 days was "on time" on the case page (2 days)
    and "due soon" on the dashboard (every open one); interim feedback and aftercare came on
    the dashboard from 7 days, final feedback from 14."""
    settings.DUE_SOON_DAYS = 3
    report, _code = make_report()
    now = report.received_at + datetime.timedelta(days=7 - days_left)
    assert report.acknowledgement_due == acknowledgement_due(report.received_at)
    on_case_page = next(d for d in deadlines_of(report, now) if d.name == "acknowledgement")
    board = dashboard.dashboard(verified(people["coordinator"]), now=now)
    [listed] = [
        item
        for due_list in board.due
        if due_list.kind == dashboard.DueKind.ACKNOWLEDGEMENT
        for item in due_list.items
        if item.report.pk == report.pk
    ]
    assert listed.urgency == on_case_page.urgency == urgency(report.acknowledgement_due, None, now)
    expected = Urgency.NEAR if days_left <= settings.DUE_SOON_DAYS else Urgency.ON_TIME
    assert listed.urgency == expected
    # The other lists hold what is due soon by the same window.
    kinds = dashboard.DueKind
    windows = {d.kind: d.near_days for d in board.due if d.near_days is not None}
    assert windows == {kinds.INTERIM_FEEDBACK: 3, kinds.FINAL_FEEDBACK: 3, kinds.AFTERCARE: 3}
