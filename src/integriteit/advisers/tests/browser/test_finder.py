"""An employee finds and contacts an external confidential adviser (issue 5 "It must show"),
without logging in and without JavaScript; the finder pages pass axe-core."""

import re

import pytest

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_employee_finds_and_contacts_an_external_adviser(demo, page):
    page.goto("/")
    page.locator('footer a[href="/vertrouwenspersonen/"]').click()
    page.wait_for_url(re.compile(r"/vertrouwenspersonen/$"))
    assert_no_axe_violations(page)
    page.get_by_role(
        "link", name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
    ).click()
    page.wait_for_url(re.compile(r"/vertrouwenspersonen/bzk/$"))
    assert_no_axe_violations(page)
    card = page.locator("li.int-adviser", has_text="Xander Extern")
    assert card.count() == 1
    mail = card.locator('a[href^="mailto:"]')
    assert mail.get_attribute("href") == "mailto:x.extern@vertrouwen.example"
    assert card.locator('a[href^="tel:"]').count() == 1


@pytest.mark.parametrize("path", ["/vertrouwenspersonen/fin/", "/en/vertrouwenspersonen/"])
def test_finder_pages_have_no_axe_violations(demo, page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_no_axe_violations(page)
