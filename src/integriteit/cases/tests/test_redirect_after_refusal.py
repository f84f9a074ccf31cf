"""After a post the browser does not stay on the POST address (issue 10; docs/workspace.md
"After a post"): a case action refused by the rules of the process (cases.guards), with nothing
typed into its form, answers a redirect to the case page's section, where the reasons are shown.
A refused form with typed text shows the page again with the text, so nothing typed is lost.
Asserts on the Dutch text the page shows (the default language)."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.cases.models import AftercareAction
from integriteit.reports.constants import Phase

from .flow import Flow

pytestmark = pytest.mark.django_db

CLOSED = "The case is closed. Reopen it first."


def nl(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


def refused(reason: str) -> str:
    """The message of a refusal as the page shows it, in Dutch."""
    with translation.override("nl"):
        gettext = translation.gettext
        return escape(gettext("Not possible: %(reasons)s") % {"reasons": gettext(reason)})


def _url(flow: Flow, tail: str) -> str:
    return f"/behandeling/{flow.pk}/{tail}"


def test_a_refused_button_form_redirects_to_its_section_with_the_reason(people, staff_client):
    flow = Flow(people).to(Phase.CLOSED)
    client = staff_client(people["coordinator"])
    response = client.post(
        _url(flow, "toewijzen/process_guide/"), {"assign-process_guide-person": people["guide"].pk}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(_url(flow, ""))
    assert "section=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert refused(CLOSED) in page
    assert not flow.report.assignments.filter(role="process_guide", ended_at=None).exists()
    # A reload of the page the browser is on is a GET: nothing is posted again.
    again = client.get(response["Location"])
    assert again.status_code == 200 and refused(CLOSED) not in again.content.decode()


def test_a_refused_form_with_typed_text_keeps_the_text(people, staff_client):
    flow = Flow(people).to(Phase.CLOSED)
    client = staff_client(people["coordinator"])
    typed = "Een gesprek met het team over hoe het gaat."
    response = client.post(
        _url(flow, "nazorg/"),
        {
            "aftercare-audience": "team",
            "aftercare-description": typed,
            "aftercare-due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert typed in page and nl(CLOSED) in page and "Niet mogelijk" in page
    assert not AftercareAction.objects.filter(report_id=flow.pk).exists()


def test_a_refused_step_redirects(people, staff_client):
    """A button of a step (workspace.step) refused by its guard: the reason on the case page."""
    flow = Flow(people).to(Phase.ASSESSMENT)
    client = staff_client(people["coordinator"])
    response = client.post(_url(flow, "stap/complete_assessment/"), {"confirm": "yes"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "utrecht-alert--error" in page
    assert flow.report.phase == Phase.ASSESSMENT
