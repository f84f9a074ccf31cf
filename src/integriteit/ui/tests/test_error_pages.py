"""A visitor who meets an error sees a page in the site's style that says what to do, never
Django's technical page with its traceback or URL list (issue 10 "Demo": the demo served with
DEBUG on). The demo itself serves with DEBUG off (conf/tests/test_demo_settings.py)."""

import pytest
from django.test import Client
from django.utils import translation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("integriteit.ui.tests.error_urls")]

TECHNICAL = ("Traceback", "4711", "Using the URLconf", "Django", "DEBUG", "a forged header")


def assert_site_page(response, status: int) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert 'class="int-logo"' in page  # the site's header, with the word mark
    assert '<html lang="' in page
    for text in TECHNICAL:
        assert text not in page, text
    return page


def test_page_not_found(client):
    page = assert_site_page(client.get("/bestaat-niet/"), 404)
    with translation.override("nl"):
        assert translation.gettext("Page not found") in page


def test_page_not_found_in_english(client):
    page = assert_site_page(client.get("/en/does-not-exist/"), 404)
    assert 'lang="en"' in page
    with translation.override("en"):
        assert "Page not found" in page


def test_server_error():
    client = Client(raise_request_exception=False)
    page = assert_site_page(client.get("/test-fails/"), 500)
    assert "Er ging iets mis" in page and "Something went wrong" in page


def test_permission_denied(client):
    page = assert_site_page(client.get("/test-refuses/"), 403)
    assert "not for you" not in page


def test_bad_request():
    client = Client(raise_request_exception=False)
    assert_site_page(client.get("/test-suspicious/"), 400)


def test_form_sent_without_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    page = assert_site_page(client.post("/postbus/", {"code": "x"}), 403)
    with translation.override("nl"):
        assert translation.gettext("Your form could not be sent") in page
