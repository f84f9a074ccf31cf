"""The session store keeps a keyed digest of each session key, never the key: a copy of
django_session cannot be sent back as a cookie (ui/sessions.py, ADR 0005)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from integriteit.crypto.tokens import session_storage_key
from integriteit.testing import verified_client
from integriteit.ui.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_database_holds_a_digest_not_the_key():
    store = SessionStore()
    store["draft"] = "x"
    store.save()
    row = Session.objects.get()
    assert store.session_key is not None
    assert row.session_key != store.session_key
    assert row.session_key == session_storage_key(store.session_key)
    assert SessionStore(store.session_key)["draft"] == "x"
    assert SessionStore(row.session_key).load() == {}  # the stored value opens nothing


def test_a_copied_staff_session_cannot_be_replayed(people):
    staff = verified_client(people["coordinator"])
    assert staff.get("/behandeling/").status_code == 200
    for row in Session.objects.all():
        thief = Client()
        thief.cookies["sessionid"] = row.session_key
        response = thief.get("/behandeling/")
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_cycle_flush_and_clearsessions_remove_the_rows():
    store = SessionStore()
    store["a"] = 1
    store.save()
    old_key = store.session_key
    store.cycle_key()
    assert not store.exists(old_key) and store.exists(store.session_key)
    assert Session.objects.count() == 1
    store.flush()
    assert Session.objects.count() == 0

    expired = SessionStore()
    expired.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    expired.save()
    call_command("clearsessions")
    assert Session.objects.count() == 0
