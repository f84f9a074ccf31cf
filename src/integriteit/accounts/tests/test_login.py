"""Staff log in with password and a TOTP second factor; passwords are guarded by axes."""

import base64

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.accounts.demo import DEMO_PASSWORD
from integriteit.accounts.models import User
from integriteit.audit.models import AuditEntry
from integriteit.testing import current_code

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
SECOND_FACTOR = "/account/tweede-factor/"
ENROL = "/account/tweede-factor/instellen/"


def nl(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


def _password_login(client: Client, username: str, password: str = DEMO_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_password_only_session_cannot_reach_workspace(people):
    client = Client()
    response = _password_login(client, "coordinator")
    assert response.status_code == 302 and response["Location"] == SECOND_FACTOR
    assert "_auth_user_id" in client.session
    for url in ("/behandeling/", "/behandeling/registreren/"):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked["Location"] == SECOND_FACTOR


def test_anonymous_visitor_is_sent_to_login(people):
    response = Client().get("/behandeling/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_wrong_totp_rejected(people):
    client = Client()
    _password_login(client, "coordinator")
    right = current_code(people["coordinator"])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR, {"token": wrong})
    assert response.status_code == 200
    assert (
        nl("This code is not correct or has expired. Try the current code.")
        in response.content.decode()
    )
    assert client.get("/behandeling/")["Location"] == SECOND_FACTOR
    not_digits = client.post(SECOND_FACTOR, {"token": "12a456"})
    assert nl("The code consists of six digits.") in not_digits.content.decode()


def test_right_totp_lets_in(people):
    client = Client()
    _password_login(client, "coordinator")
    response = client.post(SECOND_FACTOR, {"token": current_code(people["coordinator"])})
    assert response.status_code == 302 and response["Location"] == "/behandeling/"
    assert client.get("/behandeling/").status_code == 200


def test_next_url_survives_second_factor_but_not_to_other_hosts(people):
    client = Client()
    client.post(
        f"{LOGIN}?next=/behandeling/registreren/",
        {"username": "coordinator", "password": DEMO_PASSWORD},
    )
    response = client.post(SECOND_FACTOR, {"token": current_code(people["coordinator"])})
    assert response["Location"] == "/behandeling/registreren/"
    elsewhere = Client()
    elsewhere.post(
        f"{LOGIN}?next=https://evil.example/",
        {"username": "adviser", "password": DEMO_PASSWORD},
    )
    response = elsewhere.post(SECOND_FACTOR, {"token": current_code(people["adviser"])})
    assert response["Location"] == "/vertrouwenspersonen/logboek/"  # her own landing instead


def test_user_without_device_enrols(people):
    user = User.objects.create_user("nieuw", password="Een-lang-wachtwoord-2026")
    client = Client()
    _password_login(client, "nieuw", "Een-lang-wachtwoord-2026")
    assert client.get(SECOND_FACTOR)["Location"] == ENROL
    assert client.get("/behandeling/")["Location"] == SECOND_FACTOR
    page = client.get(ENROL)
    body = page.content.decode()
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in body
    assert 'id="totp-secret"' in body
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = body.split('id="totp-secret">')[1].split("<")[0]
    assert shown.replace(" ", "") == secret
    # A reload shows the same pending device, not a new one.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    # A wrong code does not confirm it.
    wrong = f"{(int(_code_for(device)) + 1) % 1_000_000:06d}"
    refused = client.post(ENROL, {"token": wrong})
    assert refused.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_enrolment_confirmed_with_valid_code(people):
    user = User.objects.create_user("nieuw2", password="Een-lang-wachtwoord-2026")
    client = Client()
    _password_login(client, "nieuw2", "Een-lang-wachtwoord-2026")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"token": _code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="second_factor.enrolled").exists()
    # Verified now: a user without roles or cases lands on her own page, not an empty queue.
    assert client.get("/behandeling/")["Location"] == "/mijn-onderzoek/"
    assert client.get("/mijn-onderzoek/").status_code == 200
    assert client.get(ENROL)["Location"] == SECOND_FACTOR


def test_axes_locks_username_after_five_failures(people):
    client = Client()
    for attempt in range(1, 6):
        failed = _password_login(client, "coordinator", "verkeerd-wachtwoord")
        # The fifth failure already answers with the lockout page.
        assert failed.status_code == (200 if attempt < 5 else 429)
        assert "_auth_user_id" not in client.session
    locked = _password_login(client, "coordinator", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(SECOND_FACTOR).status_code == 302
    assert client.get(SECOND_FACTOR)["Location"].startswith(LOGIN)
    # Locked per username, not per address: another user from the same client still logs in.
    other = Client()
    assert _password_login(other, "adviser")["Location"] == SECOND_FACTOR


def test_four_failures_do_not_lock(people):
    client = Client()
    for _ in range(4):
        _password_login(client, "coordinator", "verkeerd-wachtwoord")
    assert _password_login(client, "coordinator")["Location"] == SECOND_FACTOR


def test_logout(people, staff_client):
    client = staff_client(people["coordinator"])
    assert client.get("/behandeling/").status_code == 200
    assert client.get("/account/uitloggen/").status_code == 405
    response = client.post("/account/uitloggen/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get("/behandeling/")["Location"].startswith(LOGIN)


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == "ok" and data["database"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
