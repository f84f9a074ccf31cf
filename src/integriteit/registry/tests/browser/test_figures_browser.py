"""Annual returns in a real browser (issue 11 "It must show"): the coordinator submits her
organisation's return; BZK's government-wide coordinator validates it, returns FIN's with a
remark, publishes, and the published figures page passes axe-core."""

import datetime
import re

import pytest

from integriteit.accounts.constants import Role
from integriteit.accounts.tests.factories import RoleAssignmentFactory
from integriteit.organisations.models import Organisation
from integriteit.registry import returns
from integriteit.registry.constants import ReturnStatus
from integriteit.registry.models import AnnualReturn
from integriteit.registry.tests.regdata import add_entry

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser
D = datetime.date


def test_submit_validate_return_publish(demo, new_page):
    bzk, fin = Organisation.objects.get(slug="bzk"), Organisation.objects.get(slug="fin")
    for i in range(6):
        add_entry(bzk, D(2024, 1 + i, 2), violation_types=["financial"], investigated=True)
        add_entry(fin, D(2024, 2, 1 + i), violation_types=["behaviour"])
    fin_coordinator = RoleAssignmentFactory.create(role=Role.COORDINATOR, organisation=fin).user
    setattr(fin_coordinator, "is_verified", lambda: True)  # noqa: B010 - the OTP middleware's
    fin_return = returns.open_return(fin_coordinator, fin, 2024)
    returns.submit(fin_coordinator, fin_return)

    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto("/register/jaaropgaven/")
    assert_no_axe_violations(page)
    page.fill("input[name=year]", "2024")
    with page.expect_navigation():
        page.click("form.int-form button[type=submit]")
    assert re.search(r"/register/jaaropgaven/\d+/$", page.url)
    assert_no_axe_violations(page)
    page.check("#submit-confirm")
    with page.expect_navigation():
        page.click("form[action$='/indienen/'] button[type=submit]")
    bzk_return = AnnualReturn.objects.get(organisation=bzk, year=2024)
    assert bzk_return.status == ReturnStatus.SUBMITTED

    government = new_page()
    log_in_staff(government, demo["bzk-coordinator"], check_axe=False)
    government.goto("/register/jaaropgaven/")
    assert government.locator("tr[data-status=submitted]").count() == 2
    government.goto(f"/register/jaaropgaven/{bzk_return.pk}/")
    assert_no_axe_violations(government)
    with government.expect_navigation():
        government.click("button[name=decision][value=validate]")
    government.goto(f"/register/jaaropgaven/{fin_return.pk}/")
    government.fill("#remark", "Het papieren dossier van maart ontbreekt.")
    with government.expect_navigation():
        government.click("button[name=decision][value=return]")
    bzk_return.refresh_from_db()
    fin_return.refresh_from_db()
    assert bzk_return.status == ReturnStatus.VALIDATED
    assert fin_return.status == ReturnStatus.RETURNED
    assert fin_return.remark == "Het papieren dossier van maart ontbreekt."

    government.goto("/register/jaaropgaven/")
    government.fill("#publish-year", "2024")
    government.check("#publish-confirm")
    with government.expect_navigation():
        government.click("form[action$='/publiceren/'] button[type=submit]")
    assert "/register/cijfers/" in government.url
    assert government.locator("svg").count() >= 1
    assert government.locator("caption").count() >= 3
    assert_no_axe_violations(government)
