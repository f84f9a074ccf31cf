"""Junk in every query-string or form value that the application turns into an id, a number or a
date: a clear message, or the answer an unknown id gets (404), never a server error (issue 8
item 12: "a non-integer unit gives a 500"). One test per parameter, each fed every kind of junk.

The parameters were found by reading every view that parses request.GET/POST, and by a scratch
fuzzer that posted junk into every field of every form on the staff pages as each demo role."""

import datetime
import uuid

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.advisers.models import InterimSignal
from integriteit.cases.tests.flow import Flow
from integriteit.investigations.tests.portal_case import PortalCase, fake_render  # noqa: F401
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # beyond 64 bits: SQLite raised OverflowError for it
NOT_A_NUMBER = ["abc", "1.5", "²", "not-a-uuid", "\x00"]  # "²".isdigit() is true
IDS = [*NOT_A_NUMBER, "-1", "0", HUGE, str(uuid.uuid4())]
DATES = ["abc", "0001-01-01", "9999-12-31", "2026-02-30", "²"]


def shown(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


def page(client: Client, response) -> str:
    """The page the user ends up on (after a redirect, as the browser follows it)."""
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code < 500
    return response.content.decode()


@pytest.fixture
def case(people):
    """A case in the phase "Investigation", not commissioned yet."""
    return Flow(people).to(Phase.INVESTIGATION)


# --- Work overview and work queue: the unit and organisation filters --------------------------


@pytest.mark.parametrize("path", ["/behandeling/", "/behandeling/overzicht/"])
@pytest.mark.parametrize("parameter", ["unit", "organisation"])
def test_queue_and_overview_filters(people, make_report, path, parameter):
    make_report("bzk")
    client = verified_client(people["coordinator"])
    for junk in IDS:
        response = client.get(path, {parameter: junk})
        assert response.status_code == 200, junk
        form = response.context["form"]
        if parameter not in form.fields:
            # The queue asks for the organisation only of someone who sees several (issue 10):
            # for her the parameter is ignored, as any unknown one.
            assert (path, parameter) == ("/behandeling/", "organisation")
            continue
        assert parameter in form.errors, junk  # shown beside the field
    assert client.get(path, {"page": HUGE}).status_code == 200


def test_unit_of_a_case(people, make_report):
    report, _code = make_report("bzk")
    client = verified_client(people["coordinator"])
    for junk in IDS:
        response = client.post(f"/behandeling/{report.pk}/eenheid/", {"unit": junk})
        assert response["Location"] == f"/behandeling/{report.pk}/", junk
        assert shown("Choose a unit of the organisation of the report.") in page(client, response)
        report.refresh_from_db()
        assert report.unit_id is None


# --- Form fields that choose people -----------------------------------------------------------


def test_involved_names_on_the_report_form(people):
    """People involved are typed names, not ids (issue 10 defect 5): junk is a name nobody has."""
    for junk in IDS:
        client = Client()
        response = client.post("/melden/bzk/", {"involved_names": junk, "description": "x"})
        assert response.status_code == 200, junk
    assert not Report.objects.exists()


def test_involved_names_when_staff_register_a_report(people):
    client = verified_client(people["coordinator"])
    for junk in IDS:
        response = client.post("/behandeling/registreren/", {"involved_names": junk})
        assert response.status_code == 200, junk
    assert not Report.objects.exists()


def test_investigators_when_commissioning(people, case):
    client = verified_client(people["authority"])
    url = f"/behandeling/{case.report.pk}/onderzoek-opdracht/"
    for junk in IDS:
        response = client.post(url, {"commission-investigators": [junk]})
        assert response.status_code in (200, 400), junk
        assert not hasattr(case.report, "investigation")


# --- Hidden ids in forms --------------------------------------------------------------------


def test_interim_signal_answered(people):
    bzk = Organisation.objects.get(slug="bzk")
    adviser = verified_client(people["adviser"])
    adviser.post("/vertrouwenspersonen/signalen/", {"organisation": bzk.pk, "text": "Trend X"})
    signal = InterimSignal.objects.get()
    authority = verified_client(people["authority"])
    for junk in IDS:
        response = authority.post("/vertrouwenspersonen/signalen/", {"signal": junk, "text": "Ja"})
        assert response.status_code == 404, junk  # as for a signal that does not exist
    signal.refresh_from_db()
    assert signal.responded_at is None


def test_attachment_removed_from_a_draft(people):
    """A non-UUID where the attachment's UUID is expected removes nothing (already handled)."""
    client = Client()
    for junk in IDS:
        response = client.post("/melden/controleren/", {"remove_file": junk})
        assert response.status_code == 302, junk


# --- Numbers and dates in the query string ---------------------------------------------------


def test_year_of_the_process_evaluation(people):
    client = verified_client(people["coordinator"])
    for junk in [*IDS, "2015"]:
        response = client.get("/behandeling/evaluaties/", {"jaar": junk})
        assert response.status_code == 200, junk
        assert response.context["selected"] is None
        assert shown("There are no figures for that year; all years are shown.") in page(
            client, response
        )


def test_week_of_the_room_calendar(people):
    client = verified_client(people["adviser"])
    for junk in [*DATES, HUGE]:
        response = client.get("/vertrouwenspersonen/ruimtes/", {"week": junk})
        assert response.status_code == 200, junk
        assert shown("That week cannot be shown; this week is shown instead.") in page(
            client, response
        )


def test_year_and_page_of_the_conversation_log(people):
    client = verified_client(people["adviser"])
    for junk in IDS:
        assert client.get("/vertrouwenspersonen/logboek/", {"year": junk}).status_code == 200
        assert client.get("/vertrouwenspersonen/logboek/", {"pagina": junk}).status_code == 200


def test_audit_trail_object_and_page(people):
    client = verified_client(people["auditor"])
    for junk in IDS:
        assert client.get("/audit/", {"object": junk, "page": junk}).status_code == 200
    # PostgreSQL refuses NUL in a text query: the filter is dropped with a message.
    response = client.get("/audit/", {"object": "\x00"})
    assert shown("This is not an object id; all entries are shown.") in page(client, response)


def test_ids_in_the_path_beyond_64_bits(people):
    """Path ids match [0-9]+ only, so a huge number is the one junk that reaches the view."""
    client = verified_client(people["adviser"])
    for url in (
        f"/vertrouwenspersonen/logboek/{HUGE}/",
        f"/vertrouwenspersonen/jaarverslag/{HUGE}/",
        f"/onderzoek/{HUGE}/",
        f"/mijn-onderzoek/gesprek/{HUGE}/goedkeuren/",
    ):
        assert client.get(url).status_code in (404, 405), url


# --- Dates and times in forms ----------------------------------------------------------------


def test_moment_the_subject_was_informed(people, case):
    case.assign_investigator()
    subject = case.record_subject(informed=False)
    client = verified_client(people["investigator"])
    url = f"/behandeling/{case.report.pk}/beklagde/{subject.pk}/geinformeerd/"
    field = f"informed-{subject.pk}-informed_at"
    how = {f"informed-{subject.pk}-how": "letter"}
    for junk in [*DATES, "0001-01-01T00:30"]:
        response = client.post(url, {field: junk, **how})
        assert response.status_code in (200, 302, 400), junk
        subject.refresh_from_db()
        assert subject.informed_at is None
    # The same form with a real moment is accepted: the junk, not the rest, was refused.
    yesterday = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {field: yesterday, **how})
    subject.refresh_from_db()
    assert subject.informed_at is not None


def test_moment_of_an_interview(people, fake_render):  # noqa: F811
    investigation = PortalCase(people)
    client = verified_client(people["investigator"])
    url = f"/onderzoek/{investigation.pk}/gesprek/witness/"
    planned = investigation.investigation.interviews.count()
    form = {
        "plan-witness-interviewee": people["director"].pk,
        "plan-witness-invitation": "Uitnodiging.",
    }
    for junk in [*DATES, "0001-01-01T00:30", "9999-12-31T23:59"]:
        response = client.post(url, {"plan-witness-planned_at": junk, **form})
        assert response.status_code in (200, 302, 400), junk
        assert investigation.investigation.interviews.count() == planned
    # The same form with a real moment is accepted: the junk, not the rest, was refused.
    next_week = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"plan-witness-planned_at": next_week, **form})
    assert investigation.investigation.interviews.count() == planned + 1


def test_dates_are_refused_with_a_message_outside_1900_2100():
    from integriteit.ui.fields import plausible_date

    plausible_date(datetime.date(2026, 1, 1))
    plausible_date(timezone.now())
    for wrong in (datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(1899, 12, 31)):
        with pytest.raises(Exception, match="1900"):
            plausible_date(wrong)
