"""The coordinator records her position in a real browser; the page and the form pass axe-core
(issue 12: every page of the issue)."""

import pytest

from integriteit.prevention.models import CoordinatorPosition

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def test_the_coordinator_records_her_position(demo, new_page):
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto("/preventie/positie/")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("a[href*='/preventie/positie/vastleggen/']")
    assert_no_axe_violations(page)
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_hours_per_week", "36")
    page.check("#id_placement_0")
    page.check("#id_direct_access")
    page.check("#id_tasks_laid_down")
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    assert page.locator("#assessment li[data-meets=yes]").count() == 2
    assert_no_axe_violations(page)
    assert CoordinatorPosition.objects.get().hours_per_week == 36
