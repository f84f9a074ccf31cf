"""A refused message in the mailbox (the report takes no messages: a rule, not the input)
answers a redirect to the mailbox with the reason, so a reload does not post again (issue 10,
docs/workspace.md "After a post"); a message with bad input shows the page again with the text.
Asserts on the Dutch text a reporter reads."""

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.reports import services
from integriteit.reports.forms import DESCRIPTION_MAX
from integriteit.reports.models import Message
from integriteit.reports.views.mailbox import MAILBOX_KEY, MAILBOX_USED_KEY

pytestmark = pytest.mark.django_db

REASON = "This report has not been submitted."


def _opened(report) -> Client:
    client = Client()
    session = client.session
    session[MAILBOX_KEY] = str(report.pk)
    session[MAILBOX_USED_KEY] = timezone.now().timestamp()
    session.save()
    return client


def test_a_refused_message_redirects_to_the_mailbox_with_the_reason(make_report, monkeypatch):
    report, _code = make_report()
    client = _opened(report)
    before = Message.objects.filter(report=report).count()

    def refuse(*args, **kwargs):
        raise services.TransitionRefused(translation.gettext(REASON))

    monkeypatch.setattr(services, "reporter_reply", refuse)
    response = client.post("/postbus/berichten/", {"text": "Nog een vraag van mij."})
    assert response.status_code == 302 and response["Location"] == "/postbus/berichten/"
    page = client.get(response["Location"]).content.decode()
    with translation.override("nl"):
        expected = escape(
            translation.gettext("Your message was not sent: %(reason)s")
            % {"reason": translation.gettext(REASON)}
        )
    assert expected in page
    assert Message.objects.filter(report=report).count() == before


def test_bad_input_keeps_the_text(make_report):
    report, _code = make_report()
    client = _opened(report)
    typed = "Mijn bericht " * (DESCRIPTION_MAX // 10)  # too long
    response = client.post("/postbus/berichten/", {"text": typed})
    assert response.status_code == 200
    assert "Mijn bericht Mijn bericht" in response.content.decode()


def _nl(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


def test_refused_minutes_approval_redirects_with_the_reason(make_report):
    """A report without minutes: nothing to approve (a rule), the reason on the mailbox."""
    report, _code = make_report()
    client = _opened(report)
    response = client.post("/postbus/verslag-akkoord/")
    assert response.status_code == 302 and response["Location"] == "/postbus/berichten/"
    page = client.get(response["Location"]).content.decode()
    assert _nl("This report has no minutes to approve.") in page


def test_a_refused_evaluation_redirects_with_the_reason(make_report):
    """No evaluation is open yet: the reason on the mailbox, nothing posted again on reload."""
    report, _code = make_report()
    client = _opened(report)
    response = client.post("/postbus/evaluatie/", {"felt_safe": "4"})
    assert response.status_code == 302 and response["Location"] == "/postbus/berichten/"
    page = client.get(response["Location"]).content.decode()
    assert _nl("There is no evaluation to answer yet.") in page
