"""What an administrator cannot do in the admin (issue 8 item 5; docs/decisions/0012):
see a second factor's secret, or set another person's password. What they can do instead:
remove a second factor, and send a one-time link with which the person chooses a password.
The person hears of each by e-mail, without any case contents."""

import base64
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.accounts.demo import DEMO_PASSWORD
from integriteit.accounts.models import User
from integriteit.audit.models import AuditEntry
from integriteit.testing import device_of

pytestmark = pytest.mark.django_db

DEVICES = "/beheer/otp_totp/totpdevice/"
USERS = "/beheer/accounts/user/"
NEW_PASSWORD = "een-eigen-lang-wachtwoord-2026"
# The roles inline's management form, with no role rows changed.
NO_ROLES = {
    "roles-TOTAL_FORMS": "0",
    "roles-INITIAL_FORMS": "0",
    "roles-MIN_NUM_FORMS": "0",
    "roles-MAX_NUM_FORMS": "1000",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(people, staff_client):
    return staff_client(people["admin"])


def secrets_of(device) -> list[str]:
    """Every form in which the key could appear: hex, base32 (with and without padding), the
    otpauth:// URL of the QR code."""
    base32 = base64.b32encode(device.bin_key).decode()
    return [device.key, base32, base32.rstrip("="), device.config_url, "otpauth://"]


def shows_no_secret(response, device) -> None:
    body = response.content.decode()
    for secret in secrets_of(device):
        assert secret not in body


# --- TOTP secrets are write-only ---------------------------------------------------------


def test_device_list_and_page_show_no_secret(people, admin_client):
    device = device_of(people["coordinator"])
    listing = admin_client.get(DEVICES)
    assert listing.status_code == 200
    assert people["coordinator"].first_name in listing.content.decode()
    shows_no_secret(listing, device)
    page = admin_client.get(f"{DEVICES}{device.pk}/change/")
    assert page.status_code == 200
    shows_no_secret(page, device)
    assert "qrcode" not in page.content.decode().lower()
    # django-otp's own configuration page and QR image do not exist here.
    for extra in ("config/", "qrcode/"):
        response = admin_client.get(f"{DEVICES}{device.pk}/{extra}", follow=True)
        shows_no_secret(response, device)
        assert response.get("Content-Type", "").startswith("text/html")
    # The user's own page does not show it either.
    shows_no_secret(admin_client.get(f"{USERS}{people['coordinator'].pk}/change/"), device)


def test_no_device_can_be_added_or_edited(people, admin_client):
    device = device_of(people["coordinator"])
    assert admin_client.get(f"{DEVICES}add/").status_code == 403
    response = admin_client.post(
        f"{DEVICES}{device.pk}/change/",
        {"user": device.user_id, "name": "x", "key": "00" * 20, "confirmed": "on"},
    )
    assert response.status_code == 403
    device.refresh_from_db()
    assert device.key != "00" * 20


def test_the_list_is_no_oracle_for_the_key(people, admin_client):
    """A filter on the key would reveal it character by character through the row count."""
    device = device_of(people["coordinator"])
    assert admin_client.get(DEVICES, {"key__startswith": device.key[:2]}).status_code == 400
    assert admin_client.get(USERS, {"totpdevice__key__startswith": device.key[:2]}).status_code == (
        400
    )


def test_removing_a_device_is_possible_and_tells_the_person(
    people, admin_client, django_capture_on_commit_callbacks
):
    coordinator = people["coordinator"]
    device = device_of(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{DEVICES}{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not coordinator.totpdevice_set.exists()
    [sent] = mail.outbox
    assert sent.to == [coordinator.email]
    with translation.override("nl"):  # the default language
        assert sent.subject == translation.gettext("Your second factor for Integriteit was removed")
    for secret in secrets_of(device):
        assert secret not in sent.body
    # At the next login the person sets up a new one (accounts.views.second_factor).
    client = Client()
    client.post("/account/inloggen/", {"username": "coordinator", "password": DEMO_PASSWORD})
    assert client.get("/account/tweede-factor/")["Location"] == "/account/tweede-factor/instellen/"


def test_devices_are_removed_one_at_a_time(people, admin_client):
    """Bulk deletion is off site-wide (it writes no audit entry, ADR 0006): the list offers no
    "delete selected", and posting it anyway removes nothing."""
    devices = [device_of(people[name]) for name in ("coordinator", "guide")]
    assert "delete_selected" not in admin_client.get(DEVICES).content.decode()
    admin_client.post(
        DEVICES,
        {"action": "delete_selected", "_selected_action": [d.pk for d in devices], "post": "yes"},
    )
    assert TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).count() == 2
    assert not mail.outbox


# --- No password set by an administrator ---------------------------------------------------


def test_administrator_cannot_set_a_password(people, admin_client):
    target = people["coordinator"]
    page = admin_client.get(f"{USERS}{target.pk}/change/").content.decode()
    assert target.password not in page  # not even the hash
    assert "password/" not in page
    assert admin_client.get(f"{USERS}{target.pk}/password/").status_code == 403
    response = admin_client.post(
        f"{USERS}{target.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.check_password(DEMO_PASSWORD) and not target.check_password(NEW_PASSWORD)


def _link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+/wachtwoord-kiezen/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def _choose_password(link: str, password: str):
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )


def test_new_account_has_no_password_and_the_person_chooses_one(
    people, admin_client, django_capture_on_commit_callbacks
):
    add_page = admin_client.get(f"{USERS}add/").content.decode()
    assert 'name="password1"' not in add_page and 'name="usable_password"' not in add_page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{USERS}add/",
            {
                "username": "nieuw",
                "first_name": "Nina",
                "last_name": "Nieuw",
                "email": "nina@integriteit.example",
                "job_title": "",
                **NO_ROLES,
                # Even when posted, a password is ignored.
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="nieuw")
    assert not user.has_usable_password()
    [sent] = mail.outbox
    assert sent.to == ["nina@integriteit.example"]
    link = _link_in(sent)
    assert _choose_password(link, NEW_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="password.set", object_id=str(user.pk)).exists()
    # The link works once.
    assert not Client().get(link, follow=True).context["validlink"]


def test_reset_disables_the_password_and_mails_a_link(
    people, admin_client, django_capture_on_commit_callbacks
):
    target = people["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            USERS, {"action": "send_password_link", "_selected_action": [target.pk]}
        )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.check_password(DEMO_PASSWORD)  # the old password stopped working
    [sent] = mail.outbox
    assert sent.to == [target.email]
    assert AuditEntry.objects.filter(
        action="password.reset_by_administrator", object_id=str(target.pk)
    ).exists()
    assert _choose_password(_link_in(sent), NEW_PASSWORD).status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)


def test_no_reset_without_an_address(people, admin_client):
    target = people["guide"]
    User.objects.filter(pk=target.pk).update(email="")
    admin_client.post(USERS, {"action": "send_password_link", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.check_password(DEMO_PASSWORD)
    assert mail.outbox == []


def test_changed_address_is_told_to_the_previous_one(
    people, admin_client, django_capture_on_commit_callbacks
):
    target = people["employee"]
    previous = target.email
    data = {
        "username": target.username,
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": "elders@example.org",
        "is_active": "on",
        "date_joined_0": target.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": target.date_joined.strftime("%H:%M:%S"),
        "unit": target.unit_id,
        "job_title": "",
        **NO_ROLES,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{USERS}{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [sent] = mail.outbox
    assert sent.to == [previous]
    assert "elders@example.org" not in sent.body
