"""Issue 10 defect 8: a long account is never cut without a word. The browser is not told a
`maxlength` (with it, a pasted text is cut at the limit and the form accepted); the page states
the limit before she types; the server accepts a long account in full, and refuses one over
the limit with an error and the whole text kept in the field."""

import re
import time

import pytest
from django.test import Client
from django.utils.html import escape

from integriteit.reports.forms import ANSWER_MAX, DESCRIPTION_MAX
from integriteit.reports.models import Message, Report
from integriteit.reports.sealing import open_content, open_message_body, sealer_for
from integriteit.reports.views.mailbox import MAILBOX_KEY, MAILBOX_USED_KEY
from integriteit.reports.views.reporter import DRAFT_KEY

from .test_bad_input import report_data

pytestmark = pytest.mark.django_db

# Paragraphs as a reporter pastes them: line breaks arrive as CRLF.
PARAGRAPH = "Op maandag zag ik dat de facturen van leverancier X opnieuw werden betaald.\r\n"


def account(characters: int) -> str:
    text = PARAGRAPH * (characters // len(PARAGRAPH) + 1)
    return (text[: characters - 1] + ".").strip() + "."


def fields_of(page: str) -> list[str]:
    return re.findall(r"<(?:textarea|input)\b[^>]*>", page)


@pytest.fixture
def mailbox(make_report):
    report, _code = make_report()
    client = Client()
    session = client.session
    session[MAILBOX_KEY] = str(report.pk)  # opened with the code (test_mailbox.py tests that)
    session[MAILBOX_USED_KEY] = time.time()
    session.save()
    return report, client


def test_no_reporter_field_lets_the_browser_cut_a_text(people, mailbox):
    _report, client = mailbox
    pages = {
        "report form": Client().get("/melden/bzk/").content.decode(),
        "mailbox": client.get("/postbus/berichten/").content.decode(),
    }
    for name, page in pages.items():
        fields = fields_of(page)
        assert any("<textarea" in field for field in fields), name
        cut = [field for field in fields if re.search(r"\smaxlength=", field)]
        assert not cut, f"{name}: {cut}"


def test_the_limit_is_stated_before_she_types(people):
    page = Client().get("/melden/bzk/").content.decode()
    help_text = found_help(page, "id_description")
    assert "100.000" in help_text  # the limit, as Dutch writes numbers
    assert 'data-maxlength="100000"' in page
    assert 'aria-describedby="id_description_help"' in page
    counter = re.search(r'<div[^>]*id="id_description_counter"[^>]*>', page)
    assert counter and "hidden" in counter.group(0)  # only a script shows the counter


def found_help(page: str, auto_id: str) -> str:
    match = re.search(
        rf'<div class="utrecht-form-field-description" id="{auto_id}_help">(.*?)</div>', page, re.S
    )
    assert match, f"no description for {auto_id}"
    return match.group(1)


def test_a_long_account_is_accepted_in_full(people):
    """Past the old limit of 20,000 characters: all of it is kept, line breaks included."""
    text = account(60_000)
    client = Client()
    response = client.post("/melden/bzk/", report_data(description=text))
    assert response.status_code == 302, response.context["form"].errors
    draft = Report.objects.drafts().get(pk=client.session[DRAFT_KEY])
    assert open_content(draft, sealer_for(draft)).description == text


@pytest.mark.parametrize(
    ("field", "limit"),
    [("description", DESCRIPTION_MAX), ("involved_text", ANSWER_MAX), ("raised_with", ANSWER_MAX)],
    ids=["description", "involved_text", "raised_with"],
)
def test_a_text_over_the_limit_is_refused_and_kept_whole(people, field, limit):
    text = account(limit + 500)
    response = Client().post("/melden/bzk/", report_data(**{field: text}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    page = response.content.decode()
    # Every character is still in the field, to shorten or to copy into a file.
    assert escape(text) in page
    assert f'id="id_{field}_error"' in page
    assert Report.objects.count() == 0


def test_a_long_mailbox_message_is_kept(mailbox):
    report, client = mailbox
    text = account(40_000)
    response = client.post("/postbus/berichten/", {"text": text})
    assert response.status_code == 302
    message = Message.objects.get(report=report, sender="reporter")
    assert open_message_body(message, sealer_for(report)) == text

    too_long = account(DESCRIPTION_MAX + 1)
    response = client.post("/postbus/berichten/", {"text": too_long})
    assert response.status_code == 200
    assert escape(too_long) in response.content.decode()
    assert Message.objects.filter(report=report, sender="reporter").count() == 1
