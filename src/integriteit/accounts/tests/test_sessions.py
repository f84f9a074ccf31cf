"""Staff sessions: a new session key at login and again after the second factor, an absolute end
8 hours after login however active the user is, an idle end, and nothing of this for the
reporter's mailbox (issue 8 item 12; accounts/sessions.py)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.accounts.demo import DEMO_PASSWORD
from integriteit.accounts.sessions import LAST_SEEN_KEY, LOGIN_AT_KEY
from integriteit.testing import current_code, verified_client

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
SECOND_FACTOR = "/account/tweede-factor/"
QUEUE = "/behandeling/"
ENDED = "Your session has ended. Log in again to continue."


def shown(text: str) -> str:
    """`text` as the (Dutch) page shows it, whether or not it is translated yet."""
    with translation.override("nl"):
        return escape(translation.gettext(text))


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() under the test's control: `clock.advance(minutes=…)`."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta) -> None:
            self.now += datetime.timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moved.now)
    return moved


def log_in(client: Client, people, username: str = "coordinator") -> None:
    """The real way in: password, then the TOTP code."""
    assert client.post(LOGIN, {"username": username, "password": DEMO_PASSWORD})["Location"] == (
        SECOND_FACTOR
    )
    response = client.post(SECOND_FACTOR, {"token": current_code(people[username])})
    assert response.status_code == 302 and response["Location"] == QUEUE


def test_session_key_changes_at_login_and_after_second_factor(people):
    client = Client()
    anonymous = client.session
    anonymous["something"] = "from before the login"
    anonymous.save()
    before_login = session_key(client)
    client.post(LOGIN, {"username": "coordinator", "password": DEMO_PASSWORD})
    after_password = session_key(client)
    csrf_after_password = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert after_password not in {None, before_login}

    response = client.post(SECOND_FACTOR, {"token": current_code(people["coordinator"])})
    assert response["Location"] == QUEUE
    after_second_factor = session_key(client)
    assert after_second_factor not in {None, after_password}
    assert client.cookies[settings.CSRF_COOKIE_NAME].value != csrf_after_password
    # The verified session works; the keys from before are gone from the database, so someone
    # who learnt the key of the password-only session cannot use it after the second factor.
    assert client.get(QUEUE).status_code == 200
    assert not Session.objects.filter(session_key__in=[before_login, after_password]).exists()
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = after_password
    assert stolen.get(QUEUE)["Location"].startswith(LOGIN)


def test_session_ends_8_hours_after_login_however_active(people, make_report, clock):
    report, _code = make_report("bzk")
    client = Client()
    log_in(client, people)
    # Continuous work: every half hour a page and a change that flashes a message (which writes
    # the session and used to push its expiry 8 hours further each time).
    for _ in range(15):
        clock.advance(minutes=30)
        assert client.get(QUEUE).status_code == 200
        saved = client.post(f"/behandeling/{report.pk}/eenheid/", {"unit": ""})
        assert saved["Location"] == f"/behandeling/{report.pk}/"
    clock.advance(minutes=29)  # 7 h 59 min after login
    assert client.get(QUEUE).status_code == 200
    clock.advance(minutes=1)  # 8 hours after login
    ended = client.get(QUEUE)
    assert ended.status_code == 302 and ended["Location"].startswith(LOGIN)
    login_page = client.get(ended["Location"])
    assert shown(ENDED) in login_page.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_ends_after_an_idle_hour(people, clock, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 60  # the default
    client = Client()
    log_in(client, people)
    clock.advance(minutes=59)
    assert client.get(QUEUE).status_code == 200  # a request resets the idle clock
    clock.advance(minutes=59)
    assert client.get(QUEUE).status_code == 200
    clock.advance(minutes=60)
    ended = client.get(QUEUE)
    assert ended.status_code == 302 and ended["Location"].startswith(LOGIN)


def test_the_admin_is_covered_too(people, clock):
    client = verified_client(people["admin"])
    for _ in range(8):
        clock.advance(minutes=59)
        assert client.get("/beheer/").status_code == 200
        session = client.session  # a change, as saving a form in the admin makes
        session["work"] = str(clock.now)
        session.save()
    clock.advance(minutes=29)  # 8 h 1 min after login
    response = client.get("/beheer/")
    assert response.status_code == 302 and response["Location"].startswith("/beheer/login/")


def test_a_session_without_login_moment_counts_as_ended(people):
    """Sessions from before this check, or with the moment removed, fail closed."""
    client = verified_client(people["coordinator"])
    assert client.get(QUEUE).status_code == 200
    session = client.session
    del session[LOGIN_AT_KEY]
    session.save()
    assert client.get(QUEUE)["Location"].startswith(LOGIN)


def test_the_reporters_mailbox_session_is_left_alone(people, make_report):
    _report, code = make_report("bzk")
    client = Client()
    assert client.post("/postbus/", {"code": code})["Location"] == "/postbus/berichten/"
    key = session_key(client)
    assert client.get("/postbus/berichten/").status_code == 200
    assert session_key(client) == key
    assert LOGIN_AT_KEY not in client.session and LAST_SEEN_KEY not in client.session
