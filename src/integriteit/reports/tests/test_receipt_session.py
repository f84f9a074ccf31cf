"""Receipt codes never rest where a copy of the database can read them (issue 8 item 2), and
submitting is idempotent, so a reporter always gets her code (item 11): ADR 0005 and 0007.

Between "Send" and the receipt page the session holds a submission token, from which only the
server (with the pepper outside the database) derives the code; the database holds a digest of
the session key, not the key, so a copied row cannot be replayed as a cookie either."""

import threading

import pytest
from django.contrib.sessions.backends.db import SessionStore as PlainStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from integriteit.audit.models import AuditEntry
from integriteit.reports import receipts, services
from integriteit.reports.models import Report
from integriteit.testing import found, lookup_of, shown_code, verified_client

from .test_bad_input import report_data
from .test_services import register_data


def sessions_as_stored() -> str:
    """Every django_session row as a database reader sees it: keys and decoded data."""
    return "\n".join(
        f"{row.session_key} {PlainStore().decode(row.session_data)!r}"
        for row in Session.objects.all()
    )


def _code_forms(code: str) -> set[str]:
    normalised = receipts.normalise(code)
    assert normalised is not None
    return {normalised, receipts.display(normalised), normalised.lower()}


def _shown_code(response) -> str:
    assert response.status_code == 200, response.status_code
    return shown_code(response.content.decode())


def _to_check_page(client: Client) -> None:
    assert client.post("/melden/bzk/", report_data())["Location"] == "/melden/controleren/"
    assert client.get("/melden/controleren/").status_code == 200


def _replay(stored_key: str) -> Client:
    """A client that sends a session key read from the database as its cookie."""
    thief = Client()
    thief.cookies["sessionid"] = stored_key
    return thief


@pytest.mark.django_db
def test_session_holds_no_code_after_submit(people):
    client = Client()
    _to_check_page(client)
    assert client.post("/melden/versturen/")["Location"] == "/melden/ontvangen/"
    right_after_submit = sessions_as_stored()
    code = _shown_code(client.get("/melden/ontvangen/"))
    for form in _code_forms(code):
        assert form not in right_after_submit
        assert form not in sessions_as_stored()
    assert client.cookies["sessionid"].value not in right_after_submit
    # A reader of django_session cannot use a row as a cookie to see the receipt page.
    for row in Session.objects.all():
        page = _replay(row.session_key).get("/melden/ontvangen/", follow=True)
        assert not any(form in page.content.decode() for form in _code_forms(code))


@pytest.mark.django_db
def test_session_holds_no_code_after_staff_registration(people):
    staff = verified_client(people["coordinator"])
    registered = staff.post("/behandeling/registreren/", register_data())
    assert registered["Location"] == "/behandeling/geregistreerd/"
    right_after = sessions_as_stored()
    code = _shown_code(staff.get("/behandeling/geregistreerd/"))
    for form in _code_forms(code):
        assert form not in right_after
    report = Report.objects.get()
    assert report.receipt_lookup == lookup_of(code)


@pytest.mark.django_db
def test_session_holds_no_code_after_complaint(make_report):
    _report, code = make_report()
    client = Client()
    client.post("/postbus/", {"code": code})
    form = client.get("/postbus/klacht/").content.decode()
    token = found(r'name="token" value="([^"]+)"', form)
    sent = client.post("/postbus/klacht/", {"text": "Ik hoorde niets.", "token": token})
    assert sent["Location"] == "/postbus/klacht/ontvangen/"
    right_after = sessions_as_stored()
    complaint_code = _shown_code(client.get("/postbus/klacht/ontvangen/"))
    for shown in _code_forms(complaint_code):
        assert shown not in right_after


@pytest.mark.django_db
def test_code_is_derived_from_the_token_with_a_key_outside_the_database(people, settings):
    token = receipts.new_submission_token()
    code = receipts.code_for(token)
    assert receipts.normalise(code) == code and len(code) == receipts.CODE_LENGTH
    assert receipts.code_for(token) == code  # the same token, the same code
    assert receipts.code_for(receipts.new_submission_token()) != code
    assert code not in token.upper()


@pytest.mark.django_db
def test_double_submit_shows_the_same_receipt_and_stores_one_report(people):
    client = Client(raise_request_exception=False)
    _to_check_page(client)
    first = client.post("/melden/versturen/")
    second = client.post("/melden/versturen/")
    assert first["Location"] == second["Location"] == "/melden/ontvangen/"
    code = _shown_code(client.get("/melden/ontvangen/"))
    assert _shown_code(client.get("/melden/ontvangen/")) == code  # a reload shows it again
    # The back button to the check page leads to the receipt, not to a second report.
    assert client.get("/melden/controleren/")["Location"] == "/melden/ontvangen/"
    assert client.post("/melden/versturen/")["Location"] == "/melden/ontvangen/"
    report = Report.objects.submitted().get()
    assert Report.objects.count() == 1
    assert report.receipt_lookup == lookup_of(code)
    assert AuditEntry.objects.filter(action="report.submitted").count() == 1
    # "I have written it down" ends it: no page can show the code after that.
    client.post("/melden/ontvangen/")
    assert 'id="receipt-code"' not in client.get("/melden/ontvangen/", follow=True).content.decode()
    assert code not in sessions_as_stored()
    assert Client().post("/postbus/", {"code": code})["Location"] == "/postbus/berichten/"


@pytest.mark.django_db
def test_a_report_submitted_with_another_token_is_not_submitted_again(people):
    """A report submitted with one token is not submitted again with another: the reporter
    gets a message, not a server error, and nothing changes."""
    client = Client(raise_request_exception=False)
    _to_check_page(client)
    report = Report.objects.get()
    services.submit_draft(report, receipts.new_submission_token())  # another token
    lookup = Report.objects.get().receipt_lookup
    session = client.session
    session["report_draft"] = str(report.pk)
    session.save()
    response = client.post("/melden/versturen/", follow=True)
    assert response.status_code == 200
    assert Report.objects.get().receipt_lookup == lookup


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_store_one_report_and_show_one_code(people, monkeypatch):
    """Two submits of one draft at the same moment (a double click that reaches two
    threads): both wait until each has hashed its code, then race for the row lock."""
    client = Client()
    _to_check_page(client)
    cookies = client.cookies
    both_hashed = threading.Barrier(2, timeout=30)
    hash_code = receipts.hash_code

    def hash_in_step(code: str) -> str:
        hashed = hash_code(code)
        both_hashed.wait()
        return hashed

    monkeypatch.setattr(receipts, "hash_code", hash_in_step)
    statuses: list[tuple[int, str]] = []

    def press_send() -> None:
        browser = Client(raise_request_exception=False)
        browser.cookies = cookies
        try:
            response = browser.post("/melden/versturen/")
            statuses.append((response.status_code, response.get("Location", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=press_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [(302, "/melden/ontvangen/")] * 2
    assert Report.objects.count() == 1 and Report.objects.submitted().count() == 1
    assert AuditEntry.objects.filter(action="report.submitted").count() == 1
    code = _shown_code(client.get("/melden/ontvangen/"))
    report = Report.objects.get()
    assert report.receipt_lookup == lookup_of(code)
