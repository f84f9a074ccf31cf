"""The auditors' trail in a real browser: entries not chained yet marked as such, the chain
check with its counts, and no WCAG 2.1 AA violations found by axe-core (ADR 0006)."""

import pytest

from integriteit.audit import services
from integriteit.audit.services import SYSTEM, record
from integriteit.browser_testing import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def test_auditor_checks_the_chain(demo, page, monkeypatch):
    log_in_staff(page, demo["auditor"], check_axe=False)
    record(SYSTEM, "test.chained", "thing", 1)
    with monkeypatch.context() as stopped:
        # As if the process stopped between its commit and the chaining.
        stopped.setattr(services, "chain_pending", lambda: 0)
        record(SYSTEM, "test.pending", "thing", 2)
    page.goto("/en/audit/")
    first_row = page.locator("tbody tr").first
    assert "test.pending" in first_row.inner_text()
    assert "Not chained yet" in first_row.inner_text()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("button[name=verify]")
    status = page.get_by_role("status")
    assert "The chain is intact" in status.inner_text()
    assert "1 entry is not chained yet" in status.inner_text()
    assert "There is no anchor" in status.inner_text()
    assert_no_axe_violations(page)
