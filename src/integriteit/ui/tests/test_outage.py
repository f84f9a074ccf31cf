"""A database outage on any page: a 503 in the page's language that says what happened and what
to do, rendered without the database, with Retry-After and the text the user typed (issue 8
item 11, ADR 0007). On PostgreSQL the connection is really cut (pg_terminate_backend from a
second connection) in the middle of "Send", before and after the report is committed."""

import contextlib
import time

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from integriteit.reports import services
from integriteit.reports.models import Report
from integriteit.reports.tests.test_bad_input import report_data
from integriteit.testing import shown_code, verified_client

ADVICE = (
    "If you did not see a receipt code, go back to the previous page and press “Send report” "
    "again in a few minutes. Your report will not be sent twice."
)


def shown(text: str, language: str = "nl") -> str:
    with translation.override(language):
        return escape(translation.gettext(text))


def refusing(only: str = ""):
    """An execute wrapper: every statement (or every one that mentions `only`) fails as a lost
    connection does."""

    def refuse(execute, sql, params, many, context):
        if only in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return refuse


@contextlib.contextmanager
def database_down(only: str = ""):
    with connection.execute_wrapper(refusing(only)):
        yield


def _send(client: Client):
    """The reporter's path up to "Send"."""
    client.post("/melden/bzk/", report_data())
    assert client.get("/melden/controleren/").status_code == 200
    return client.post("/melden/versturen/")


def assert_outage_page(response, language: str = "nl") -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert shown("Temporarily unavailable", language) in page
    assert shown(ADVICE, language) in page
    return page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/melden/", "/melden/bzk/", "/melden/controleren/", "/postbus/berichten/", "/"]
)
def test_reporter_pages_show_the_outage_page_without_the_database(people, path):
    client = Client(raise_request_exception=False)
    client.post("/melden/bzk/", report_data())  # a session with a draft, as a reporter has
    with database_down():
        response = client.get(path)
    assert_outage_page(response)


@pytest.mark.django_db
def test_outage_page_follows_the_page_language(people):
    with database_down():
        response = Client(raise_request_exception=False).get("/en/melden/")
    assert_outage_page(response, "en")


@pytest.mark.django_db
def test_staff_pages_show_the_outage_page_too(people):
    staff = verified_client(people["coordinator"])
    staff.raise_request_exception = False
    with database_down():
        response = staff.get("/behandeling/")
    assert_outage_page(response)


@pytest.mark.django_db
def test_posted_text_is_given_back_escaped(people):
    typed = 'Geld verdwijnt <script>alert("x")</script> uit de kas.'
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.post(
            "/melden/bzk/", report_data(description=typed, occurred_where="Kantine 3")
        )
    page = assert_outage_page(response)
    assert escape(typed) in page and "<script>" not in page
    assert "Kantine 3" in page
    # Choice values and form machinery are not "typed text".
    typed_list = page.split('id="typed-text"')[1]
    assert "integrity_violation" not in typed_list and "csrfmiddlewaretoken" not in typed_list


@pytest.mark.django_db
def test_secrets_are_never_shown_back(people):
    client = Client(raise_request_exception=False)
    with database_down():
        mailbox = client.post("/postbus/", {"code": "ABCD-EFGH-JKMN-PQRS"})
        login = client.post(
            "/account/inloggen/", {"username": "coordinator", "password": "Geheim wachtwoord 1"}
        )
    assert "ABCD-EFGH-JKMN-PQRS" not in assert_outage_page(mailbox)
    assert "Geheim wachtwoord" not in assert_outage_page(login)


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_is_an_outage_not_a_bad_request(people):
    """Django turns a failed session save into SessionInterrupted (400); its cause is the
    database, so the reporter gets the outage page."""
    client = Client(raise_request_exception=False)
    client.post("/melden/bzk/", report_data())
    with database_down(only='UPDATE "django_session"'):
        response = client.get("/melden/controleren/")  # stores the submission token
    assert_outage_page(response)


@pytest.mark.django_db
def test_session_lost_after_commit_send_again_shows_the_stored_reports_code(people, monkeypatch):
    """The report is committed, then the database fails as the session is saved: before, the
    code was in that session and lost, and "Send" again gave a server error."""
    submit = services.submit_draft
    session_lost = refusing(only='"django_session"')

    def submit_then_fail(*args, **kwargs):
        code = submit(*args, **kwargs)
        connection.execute_wrappers.append(session_lost)
        return code

    monkeypatch.setattr(services, "submit_draft", submit_then_fail)
    client = Client(raise_request_exception=False)
    try:
        assert_outage_page(_send(client))
    finally:
        connection.execute_wrappers.remove(session_lost)
    assert Report.objects.submitted().count() == 1

    monkeypatch.setattr(services, "submit_draft", submit)
    again = client.post("/melden/versturen/")
    assert again.status_code == 302 and again["Location"] == "/melden/ontvangen/"
    code = shown_code(client.get("/melden/ontvangen/").content.decode())
    assert Report.objects.count() == 1
    assert Client().post("/postbus/", {"code": code})["Location"] == "/postbus/berichten/"


@pytest.mark.django_db
def test_other_errors_still_get_the_plain_error_page(people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("not the database")

    monkeypatch.setattr(services, "submit_draft", broken)
    client = Client(raise_request_exception=False)
    client.post("/melden/bzk/", report_data())
    response = client.post("/melden/versturen/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_stale_connections_are_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# --- PostgreSQL: the connection really breaks ---------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_terminate_backend needs PostgreSQL (CI runs the suite on PostgreSQL too)",
)


def terminate_own_backend() -> None:
    """Cut this thread's database connection from a second connection, as a restart does, and
    wait until the server has ended it."""
    pid = connection.connection.info.backend_pid
    options = connection.settings_dict
    with psycopg.connect(
        host=options["HOST"] or "127.0.0.1",
        port=options["PORT"] or 5432,
        user=options["USER"],
        password=options["PASSWORD"] or None,
        dbname=options["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _attempt in range(200):
            ((gone,),) = admin.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", [pid]
            ).fetchall()
            if gone:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} was not terminated")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_connection_lost_before_commit_then_send_again(people, monkeypatch):
    submit = services.submit_draft

    def cut_then_submit(*args, **kwargs):
        terminate_own_backend()
        return submit(*args, **kwargs)

    monkeypatch.setattr(services, "submit_draft", cut_then_submit)
    client = Client(raise_request_exception=False)
    page = assert_outage_page(_send(client))
    assert "receipt-code" not in page
    assert not Report.objects.submitted().exists()

    monkeypatch.setattr(services, "submit_draft", submit)
    again = client.post("/melden/versturen/")  # as the page says
    assert again["Location"] == "/melden/ontvangen/"
    code = shown_code(client.get("/melden/ontvangen/").content.decode())
    assert Report.objects.submitted().count() == 1 == Report.objects.count()
    assert Client().post("/postbus/", {"code": code})["Location"] == "/postbus/berichten/"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_connection_lost_after_commit_the_reporter_still_gets_her_code(people, monkeypatch):
    """The report is stored, then the connection dies before the session is saved: the
    reporter sees the outage page, presses Send again, and gets the code of the stored report
    (before: the code was lost with the session, and Send again gave a server error)."""
    submit = services.submit_draft

    def submit_then_cut(*args, **kwargs):
        code = submit(*args, **kwargs)
        terminate_own_backend()
        return code

    monkeypatch.setattr(services, "submit_draft", submit_then_cut)
    client = Client(raise_request_exception=False)
    assert_outage_page(_send(client))
    assert Report.objects.submitted().count() == 1

    monkeypatch.setattr(services, "submit_draft", submit)
    again = client.post("/melden/versturen/")
    assert again.status_code == 302 and again["Location"] == "/melden/ontvangen/"
    code = shown_code(client.get("/melden/ontvangen/").content.decode())
    assert Report.objects.submitted().count() == 1 == Report.objects.count()
    assert Client().post("/postbus/", {"code": code})["Location"] == "/postbus/berichten/"
