"""The investigator lands on the investigations she carries out (issue 10 "Landing per role"):
after login, with the empty state and then with her investigation, which links to its page;
both pages pass axe."""

import datetime

import pytest
from django.utils import timezone

from integriteit.browser_testing import assert_no_axe_violations, log_in_staff
from integriteit.cases.tests.flow import Flow
from integriteit.investigations import services
from integriteit.reports.constants import Phase

pytestmark = pytest.mark.browser


def test_the_investigator_lands_on_her_investigations(demo, new_page):
    investigator = demo["investigator"]
    page = new_page()
    log_in_staff(page, investigator)
    assert page.url.endswith("/onderzoek/")
    assert page.locator("[data-empty]").count() == 1
    assert_no_axe_violations(page)

    flow = Flow(demo).to(Phase.INVESTIGATION)
    investigation = services.commission(
        flow.authority,
        flow.report,
        investigators=[flow.investigator],
        deadline=timezone.localdate() + datetime.timedelta(days=90),
        note="Onderzoek naar de bonnen.",
    )
    page.goto("/onderzoek/")
    row = page.locator(f"[data-investigation='{investigation.pk}']")
    assert row.count() == 1
    assert flow.report.reference in row.inner_text()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        row.locator("a").click()
    assert page.url.endswith(f"/onderzoek/{investigation.pk}/")
