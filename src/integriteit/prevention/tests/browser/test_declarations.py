"""An official declares a side activity and her manager assesses it, in a real browser and
without JavaScript-only steps (issue 12 "It must show"); the pages on the way and the public
publication page pass axe-core and HTML CodeSniffer.

The site is in Dutch: elements are found by name, value, id and URL, never by English text.
"""

import re

import pytest

from integriteit.cases.tests.flow import verified
from integriteit.prevention import declarations as services
from integriteit.prevention.models import InterestKind, SideActivity

from ..declaration_helpers import declared, designated
from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def test_an_official_declares_and_the_manager_assesses(demo, new_page):
    function = designated(demo)
    official = new_page()
    log_in_staff(official, demo["employee"], check_axe=False)
    official.goto("/nevenwerkzaamheden/")
    assert_no_axe_violations(official)
    official.click("#declare-link")
    official.wait_for_url(re.compile(r"/nevenwerkzaamheden/nieuw/$"))
    assert_no_axe_violations(official)
    official.fill("textarea[name=description]", "Gastdocent inkooprecht")
    official.fill("input[name=employer]", "Haagse Hogeschool")
    official.check("input[name=paid][value=yes]")
    official.fill("input[name=hours_per_month]", "4")
    official.fill("input[name=starts_on]", "2026-01-01")
    # First without the designated function she holds: refused, what she typed is kept.
    with official.expect_navigation():
        official.click("form.utrecht-form button[type=submit]")
    assert official.url.endswith("/nevenwerkzaamheden/nieuw/")
    assert official.locator("#id_function_error").count() == 1
    assert official.input_value("input[name=employer]") == "Haagse Hogeschool"
    assert_no_axe_violations(official)
    official.select_option("select[name=function]", value=str(function.pk))
    with official.expect_navigation():
        official.click("form.utrecht-form button[type=submit]")
    declaration = SideActivity.objects.get()
    assert official.url.endswith(f"/nevenwerkzaamheden/{declaration.pk}/")
    assert official.get_attribute("#declaration-state", "data-state") == "draft"
    assert_no_axe_violations(official)
    with official.expect_navigation():
        official.click("#submit-form button[type=submit]")
    assert official.get_attribute("#declaration-state", "data-state") == "submitted"

    manager = new_page()
    log_in_staff(manager, demo["manager"], check_axe=False)
    manager.goto("/nevenwerkzaamheden/beoordelen/")
    assert_no_axe_violations(manager)
    manager.click(f'tr[data-declaration="{declaration.pk}"] a')
    manager.wait_for_url(re.compile(rf"/nevenwerkzaamheden/{declaration.pk}/beoordelen/$"))
    assert_no_axe_violations(manager)
    manager.check("input[name=decision][value=allowed_with_conditions]")
    manager.fill("textarea[name=conditions]", "Niet betrokken bij aanbestedingen van de school.")
    manager.fill("textarea[name=reasons]", "Raakt het inkoopwerk niet met deze voorwaarde.")
    with manager.expect_navigation():
        manager.click("#assess-form button[type=submit]")
    assert manager.url.endswith("/nevenwerkzaamheden/beoordelen/")
    declaration.refresh_from_db()
    assert declaration.decision == "allowed_with_conditions"

    official.reload()
    decision = official.locator("#declaration-decision")
    assert decision.get_attribute("data-decision") == "allowed_with_conditions"

    visitor = new_page()
    response = visitor.goto("/openbaar/nevenwerkzaamheden/bzk/")
    assert response is not None and response.status == 200
    row = visitor.locator(f'tr[data-declaration="{declaration.pk}"]')
    assert row.count() == 1
    assert "Gastdocent inkooprecht" in row.inner_text()
    assert row.locator("[data-paid=yes]").count() == 1
    assert_no_axe_violations(visitor)


@pytest.mark.parametrize(
    "path", ["/openbaar/nevenwerkzaamheden/", "/en/openbaar/nevenwerkzaamheden/fin/"]
)
def test_the_public_pages_pass_axe(demo, page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)


def test_the_coordinators_pages_pass_axe(demo, page):
    function = designated(demo)
    declared(demo, function, decision="allowed")
    declared(demo, function)
    services.declare_interest(
        verified(demo["employee"]), function, InterestKind.SECURITIES, "Aandelen"
    )
    log_in_staff(page, demo["coordinator"], check_axe=False)
    for path in (
        "/nevenwerkzaamheden/register/",
        "/aangewezen-functies/",
        "/eed-en-belofte/",
        "/financiele-belangen/",
        "/nevenwerkzaamheden/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page)
    page.goto("/nevenwerkzaamheden/register/")
    with page.expect_navigation():
        page.click("#register tbody tr a")
    assert re.search(r"/nevenwerkzaamheden/\d+/$", page.url)
    assert_no_axe_violations(page)
