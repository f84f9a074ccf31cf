"""The policy cycle in a real browser: the coordinator writes a policy with a goal, adopts it and
evaluates it; every page passes axe-core (issue 12: every page of the issue)."""

import datetime

import pytest
from django.utils import timezone

from integriteit.prevention.models import GoalEvaluation, IntegrityPolicy

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def submit(page, selector: str = "form.utrecht-form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def test_policy_from_draft_to_evaluation(demo, new_page):
    today = timezone.localdate()
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto("/preventie/beleid/")
    assert page.locator("#no-policies").count() == 1
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("a[href*='/preventie/beleid/nieuw/']")
    assert_no_axe_violations(page)
    page.fill("#id_title", "Integriteitsbeleid")
    page.fill("#id_period_start", f"{today.year}-01-01")
    page.fill("#id_period_end", f"{today.year + 3}-12-31")
    page.fill("#id_evaluation_due", f"{today.year + 1}-12-01")
    submit(page)
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("a[href*='/doelen/nieuw/']")
    assert_no_axe_violations(page)
    page.fill("#id_title", "Meldingen op tijd bevestigd")
    page.fill("#id_indicator", "Aandeel binnen 7 dagen")
    page.fill("#id_target", "95%")
    page.select_option("#id_system_figure", "acknowledged_in_time")
    submit(page)
    page.fill("#id_adopted_on", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_adopted_by", "De secretaris-generaal")
    page.check("#adopt-confirm")
    submit(page, "form[action$='/vaststellen/'] button[type=submit]")
    assert IntegrityPolicy.objects.get().adopted_on is not None
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("a[href$='/evalueren/']")
    assert_no_axe_violations(page)
    goal = IntegrityPolicy.objects.get().goals.get()
    page.fill("#id_held_on", today.isoformat())
    page.check(f"input[name=result_{goal.pk}][value=partly]")
    page.fill(f"#id_finding_{goal.pk}", "Negen op de tien")
    page.fill("#id_conclusion", "Grotendeels bereikt.")
    submit(page)
    assert GoalEvaluation.objects.get().result == "partly"
    assert_no_axe_violations(page)
