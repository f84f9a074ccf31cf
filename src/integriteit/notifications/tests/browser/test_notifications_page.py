"""A coordinator sees the unread count in the header, reads the notification, opens the case
from it, and the count and the queue's marker are gone (issue 10); axe finds nothing."""

import re

import pytest

from integriteit import testing

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def test_from_the_header_to_the_case(demo, new_page):
    report, _code = testing.make_report(description="Er worden bonnen vervalst bij inkoop.")
    page = new_page()
    log_in_staff(page, demo["coordinator"])
    header = page.locator("header nav")
    assert header.locator(".int-nav-count").inner_text().startswith("1")
    page.goto("/behandeling/")
    row = page.locator("tr").filter(has_text=report.reference)
    assert row.locator(".int-unread").count() == 1
    assert_no_axe_violations(page)

    header.locator("a[href='/notificaties/']").click()
    page.wait_for_url(re.compile(r"/notificaties/$"))
    assert_no_axe_violations(page)
    assert report.reference in page.locator("main").inner_text()
    page.locator("main li a.utrecht-link").first.click()
    page.wait_for_url(re.compile(rf"/behandeling/{report.pk}/$"))
    assert page.locator("header nav .int-nav-count").count() == 0

    page.goto("/notificaties/")
    assert page.locator(".int-unread").count() == 0
    page.goto("/behandeling/")
    assert page.locator("tr").filter(has_text=report.reference).locator(".int-unread").count() == 0
