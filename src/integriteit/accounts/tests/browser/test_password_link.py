"""Choosing one's own password through the one-time link an administrator had sent
(docs/decisions/0012): the page in a real browser, accessible, and the login after it."""

import re

import pytest
from django.conf import settings

from integriteit import testing
from integriteit.accounts import services
from integriteit.audit.services import Actor

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

NEW_PASSWORD = "een-eigen-lang-wachtwoord-2026"


def test_person_chooses_a_password_and_logs_in_with_it(demo, new_page):
    guide = demo["guide"]
    assert services.send_password_link(Actor.of(demo["admin"]), guide)
    link = services.password_link(guide).removeprefix(settings.SITE_URL)
    page = new_page()
    page.goto(link)
    page.wait_for_url(re.compile(r"/set-password/$"))
    assert_no_axe_violations(page)
    page.fill("input[name=new_password1]", "kort")
    page.fill("input[name=new_password2]", "kort")
    with page.expect_navigation():  # the refusal comes back on the same URL
        page.click("form.utrecht-form button[type=submit]")
    assert page.locator(".utrecht-form-field--invalid").count() >= 1  # too short: refused
    assert_no_axe_violations(page)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/inloggen/$"))
    page.fill("input[name=username]", guide.username)
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/tweede-factor/$"))
    page.fill("input[name=token]", testing.current_code(guide))
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/behandeling/(\?.*)?$"))  # a guide lands on her own cases
