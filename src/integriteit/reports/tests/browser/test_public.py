"""Public pages: accessibility (axe, WCAG 2.1 AA) and switching language."""

import re

import pytest

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path", ["/", "/melden/", "/melden/bzk/", "/postbus/", "/account/inloggen/", "/en/melden/"]
)
def test_public_page_has_no_axe_violations(demo, page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_no_axe_violations(page)


def test_report_form_with_errors_has_no_axe_violations(demo, page):
    page.goto("/melden/bzk/")
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_selector("#form-errors")
    assert page.locator(".utrecht-form-field--invalid").count() >= 3
    assert_no_axe_violations(page)


def test_mailbox_login_with_wrong_code_has_no_axe_violations(demo, page):
    page.goto("/postbus/")
    page.fill("input[name=code]", "ABCD-1234")
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_selector(".utrecht-form-field-error-message")
    assert_no_axe_violations(page)


def test_language_link_switches_to_english(demo, page):
    page.goto("/melden/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.click("a[hreflang=en]")
    page.wait_for_url(re.compile(r"/en/melden/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Make a report"
    assert page.get_by_role("link", name="Make a report").count() >= 1
    # And back: the Dutch pages keep their unprefixed addresses.
    page.click("a[hreflang=nl]")
    page.wait_for_url(re.compile(r"/melden/$"))
    assert "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
