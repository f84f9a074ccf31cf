"""Issue 10 defect 7: a reporter reads every date one way. Her mailbox showed the deadline for
feedback as "2 maart 2027" in its summary and as "09-03-2027" in the acknowledgement the
coordinator sent with the suggested text: another format, and a week later too (the suggestion
counted the term from the acknowledgement's deadline, not from the acknowledgement)."""

import html
import re
import time

import pytest
from django.test import Client
from django.utils import translation

from integriteit.reports.views.mailbox import MAILBOX_KEY, MAILBOX_USED_KEY
from integriteit.testing import found
from integriteit.ui import dates

pytestmark = pytest.mark.django_db

NUMERIC_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")


def mailbox_of(report) -> str:
    client = Client()
    session = client.session
    session[MAILBOX_KEY] = str(report.pk)
    session[MAILBOX_USED_KEY] = time.time()
    session.save()
    page = client.get("/postbus/berichten/")
    assert page.status_code == 200
    return page.content.decode()


def visible_text(page: str) -> str:
    """What she reads: no attributes (a <time datetime="..."> is for machines)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def test_the_acknowledgement_and_the_mailbox_write_the_deadline_alike(
    people, staff_client, make_report
):
    report, _code = make_report()
    coordinator = staff_client(people["coordinator"])
    case = coordinator.get(f"/behandeling/{report.pk}/").content.decode()
    suggested = html.unescape(found(r'(?s)<textarea name="text"[^>]*>(.*?)</textarea>', case))
    assert not NUMERIC_DATE.search(suggested), suggested
    sent = coordinator.post(f"/behandeling/{report.pk}/ontvangst/", {"text": suggested.strip()})
    assert sent.status_code == 302

    text = visible_text(mailbox_of(report))
    assert not NUMERIC_DATE.search(text), NUMERIC_DATE.search(text)
    with translation.override("nl"):
        report.refresh_from_db()  # the term the acknowledgement started
        feedback = dates.day(report.feedback_due)
    # In the summary of deadlines and in the message: the same date, in the same words.
    assert text.count(feedback) >= 2, feedback


def test_one_format_in_every_language():
    import datetime

    moment = datetime.date(2027, 3, 8)
    with translation.override("nl"):
        assert dates.day(moment) == "8 maart 2027"
    with translation.override("en"):
        assert dates.day(moment) == "8 March 2027"
