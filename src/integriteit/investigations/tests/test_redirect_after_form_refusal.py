"""A form of an investigation refused because its step or the case is not open (StepRefused),
with nothing typed into it, answers a redirect with the reasons in a message, as a refused
button does (test_redirect_after_refusal.py; issue 10, docs/workspace.md "After a post"). A
refused form with typed text shows the page again with the text. Asserts on the Dutch text."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.investigations.models import Investigation

from .helpers import Investigating

pytestmark = pytest.mark.django_db


def refused(reason: str) -> str:
    with translation.override("nl"):
        gettext = translation.gettext
        return escape(gettext("Not possible: %(reasons)s") % {"reasons": gettext(reason)})


def test_an_empty_form_of_a_step_that_is_not_open_redirects(people, staff_client):
    case = Investigating(people)
    field = case.rec("plan").step.required_fields[0]["code"]
    client = staff_client(people["investigator"])
    url = f"/onderzoek/{case.pk}/"
    response = client.post(url + "stap/plan/gegevens/", {f"values-plan-{field}": "  "})
    assert response.status_code == 302
    assert response["Location"].split("#")[0] == url
    page = client.get(response["Location"]).content.decode()
    assert refused("Only an open step can be recorded.") in page


def test_commissioning_twice_redirects_to_the_case_section(people, staff_client):
    """The case page offers no commission form while an investigation is open, so the typed
    note could not be shown again: the refusal redirects to the section with the reason."""
    case = Investigating(people)
    client = staff_client(people["authority"])
    report_id = case.investigation.report_id
    response = client.post(
        f"/behandeling/{report_id}/onderzoek-opdracht/",
        {
            "commission-investigators": [people["investigator"].pk],
            "commission-deadline": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
            "commission-note": "Een tweede onderzoek naar de bonnen.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/behandeling/{report_id}/?section=investigation")
    page = client.get(response["Location"]).content.decode()
    assert refused("This case already has an open investigation.") in page
    assert Investigation.objects.filter(report_id=report_id).count() == 1


def test_a_form_of_a_step_that_is_not_open_redirects_whatever_was_typed(people, staff_client):
    """The page offers no form for a step that is not open, so it could not show the text
    again: the refusal redirects too."""
    case = Investigating(people)
    field = case.rec("plan").step.required_fields[0]["code"]
    client = staff_client(people["investigator"])
    url = f"/onderzoek/{case.pk}/"
    response = client.post(
        url + "stap/plan/gegevens/", {f"values-plan-{field}": "Aantekeningen bij het plan."}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert refused("Only an open step can be recorded.") in page
    assert not case.rec("plan").sealed_values


def test_bad_input_in_an_open_step_keeps_the_text(people, staff_client):
    """A form validation error shows the page again with what was typed (SYSTEM.md)."""
    case = Investigating(people)
    field = case.rec("preliminary_inquiry").step.required_fields[0]["code"]
    client = staff_client(people["investigator"])
    typed = "Bevindingen " * 2000  # longer than a field takes
    response = client.post(
        f"/onderzoek/{case.pk}/stap/preliminary_inquiry/gegevens/",
        {f"values-preliminary_inquiry-{field}": typed},
    )
    assert response.status_code == 200
    assert "Bevindingen Bevindingen" in response.content.decode()
