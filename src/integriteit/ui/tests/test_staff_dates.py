"""Staff pages write dates the way the reporter's pages do (issue 10, after defect 7): one format
for running text ("8 maart 2027", `dates.day`) and one for table cells ("8 mrt 2027",
`dates.cell_day`), both from integriteit.ui.dates, never numeric. The queue showed "8 mrt 2027",
a reminder e-mail "08-03-2027" and the advisers' annual reports "2027-03-08"."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from integriteit.advisers import log as adviser_log
from integriteit.advisers.constants import ConversationTheme, Referral
from integriteit.advisers.tests.test_log import adviser_record, as_verified
from integriteit.cases.reminders import send_due_reminders
from integriteit.organisations.models import Organisation
from integriteit.ui import dates

pytestmark = pytest.mark.django_db

NUMERIC_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
DAY = datetime.date(2027, 3, 8)


def cells(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]*>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)
    ]


def test_the_two_formats():
    moment = timezone.make_aware(datetime.datetime(2027, 3, 8, 14, 5))
    with translation.override("nl"):
        assert dates.day(DAY) == "8 maart 2027"
        assert dates.cell_day(DAY) == "8 mrt 2027"
        assert dates.moment(moment) == "8 maart 2027 14:05"
        assert dates.cell_moment(moment) == "8 mrt 2027 14:05"
    with translation.override("en"):
        assert dates.day(DAY) == "8 March 2027"
        assert dates.cell_day(DAY) == "8 Mar 2027"
    assert dates.cell_day(None) == dates.day(None) == ""


def test_the_advisers_log_shows_the_day_in_the_table_format(people, staff_client):
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    adviser_log.record_conversation(
        adviser,
        adviser_log.LogInput(
            held_on=datetime.date(2026, 3, 2),
            theme=ConversationTheme.BULLYING,
            organisation=Organisation.objects.get(slug="bzk"),
            conversations=1,
            referrals=[Referral.RABA],
            notes="",
        ),
    )
    response = staff_client(people["adviser"]).get("/vertrouwenspersonen/logboek/?year=2026")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 mrt 2026" in cells(page)
    assert not NUMERIC_DATE.search(re.sub(r"<[^>]*>", " ", page))


def test_the_queue_shows_the_days_in_the_table_format(people, staff_client, make_report):
    report, _code = make_report()
    response = staff_client(people["coordinator"]).get("/behandeling/")
    assert response.status_code == 200
    shown = cells(response.content.decode())
    with translation.override("nl"):
        assert dates.cell_day(report.received_at) in shown
        assert any(cell.startswith(dates.cell_day(report.acknowledgement_due)) for cell in shown)


def test_a_reminder_writes_the_deadline_as_running_text(
    people, make_report, django_capture_on_commit_callbacks
):
    report, _code = make_report()
    with django_capture_on_commit_callbacks(execute=True), translation.override("nl"):
        send_due_reminders(report.acknowledgement_due + datetime.timedelta(days=1))
        expected = dates.day(report.acknowledgement_due)
    reminders = [m for m in mail.outbox if report.reference in str(m.subject) + str(m.body)]
    assert reminders
    for message in reminders:
        if expected in str(message.body):
            break
    else:
        pytest.fail(f"no reminder says {expected}: {[m.body for m in reminders]}")
    assert not any(NUMERIC_DATE.search(str(m.body)) for m in reminders)
