"""Figures of my organisation in a real browser (issue 11 §4, §7): BZK's manager finds the page
in the header where she lands, sees BZK's exact figures with the note of the submitted return
and its differences, filters by year, and every state of the page passes axe-core and HTML
CodeSniffer.

The site is in Dutch: elements are found by id, data attribute and URL.
"""

import datetime

import pytest

from integriteit.organisations.models import Organisation
from integriteit.registry import returns
from integriteit.registry.tests.regdata import add_entry

from .conftest import assert_no_axe_violations, log_in_staff, screenshot

pytestmark = pytest.mark.browser
D = datetime.date


def test_manager_opens_the_figures_of_her_organisation(demo, new_page):
    bzk = Organisation.objects.get(slug="bzk")
    for i in range(3):
        add_entry(
            bzk,
            D(2024, 2 + i, 1),
            violation_types=["financial"] if i else ["behaviour"],
            investigated=i == 0,
            findings={"behaviour": True} if i == 0 else {},
            measures={"written_reprimand": 1} if i == 0 else {},
            closed_on=D(2024, 6, 1),
        )
    coordinator = demo["coordinator"]
    setattr(coordinator, "is_verified", lambda: True)  # noqa: B010 - the OTP middleware's
    annual_return = returns.open_return(coordinator, bzk, 2024)
    returns.submit(coordinator, annual_return)
    add_entry(bzk, D(2024, 9, 1), violation_types=["financial"])  # after the submission

    page = new_page()
    log_in_staff(page, demo["manager"], check_axe=False)  # checked in reports/
    with page.expect_navigation():
        page.click("a[href='/register/cijfers/organisatie/']")  # in the header
    assert page.url.endswith("/register/cijfers/organisatie/")
    # The default year is last year: no entry of BZK, the empty state.
    assert page.locator("#own-figures-empty").count() == 1
    assert_no_axe_violations(page)

    page.select_option("#filter-year", "2024")
    with page.expect_navigation():
        page.click("#own-figures-filters button[type=submit]")
    assert "year=2024" in page.url
    assert page.locator("#own-return[data-return-status=submitted]").count() == 1
    assert page.locator("#own-differences tr[data-cell='reports.total'] td").all_inner_texts() == [
        "3",
        "4",
    ]
    assert page.locator("svg").count() >= 4
    assert page.locator("table.int-figures caption").count() >= 6
    assert page.locator("#own-figures-csv").count() == 1
    screenshot(page, "own-figures-manager")
    assert_no_axe_violations(page)
