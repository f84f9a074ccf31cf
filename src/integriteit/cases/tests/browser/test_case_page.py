"""The coordinator's case page in a real browser at 1280 and 390 pixels wide (issue 10, case
page): the summary and "What you may and must do now" on top, every section reachable from the
section nav with the keyboard, axe clean in every section, and the confirmation of an
irreversible step: without it nothing happens and the text stays, with it the step is taken.
Screenshots go to var/screenshots/ (CI keeps them as artefacts)."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from integriteit.browser_testing import assert_no_axe_violations, log_in_staff, screenshot
from integriteit.cases.tests.flow import Flow
from integriteit.cases.views.panels import SECTIONS
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
FINAL = "Het onderzoek is afgerond; er zijn maatregelen genomen."


def nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_coordinator_case_page_sections_and_confirmation(demo, new_page, width):
    flow = Flow(demo).to(Phase.FEEDBACK)
    report = flow.report
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in_staff(page, demo["coordinator"], check_axe=False)  # checked in reports/
    page.goto(f"/behandeling/{report.pk}/")

    # On top: the summary and the box of what to do now; the phase's section is open.
    summary = page.locator("section.int-case-summary")
    assert report.reference in summary.inner_text()
    assert summary.locator(".int-deadline").count() >= 2
    assert page.locator("#todo-heading").is_visible()
    assert page.locator("[data-section=mailbox]").count() == 1
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll, "the page scrolls sideways"
    assert_no_axe_violations(page)
    screenshot(page, f"case-page-{width}-feedback")

    # Every section from the nav, with the keyboard; the link says which one is open.
    for section in SECTIONS:
        link = page.locator(f"nav.int-case-nav a[href^='?section={section.key}#']")
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(f"[data-section={section.key}]").count() == 1
        current = page.locator("nav.int-case-nav a[aria-current=page]")
        assert current.count() == 1
        assert current.get_attribute("href").startswith(f"?section={section.key}#")
        assert_no_axe_violations(page)
        if width == WIDTHS[0] or section.key == "mailbox":
            screenshot(page, f"case-page-{width}-{section.key}")

    # The final feedback is irreversible: without the confirmation nothing is sent.
    page.goto(f"/behandeling/{report.pk}/?section=mailbox")
    form = page.locator(f"form[action^='/behandeling/{report.pk}/terugkoppeling/eind/']")
    form.locator("textarea[name='feedback-final-text']").fill(FINAL)
    confirm = form.locator("input[name=confirm]")
    assert confirm.is_visible() and not confirm.is_checked()
    label = form.locator(f"label[for='{confirm.get_attribute('id')}']")
    assert label.inner_text() == nl("I understand this cannot be undone")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".int-messages .utrecht-alert--error").count() == 1
    assert Report.objects.get(pk=report.pk).phase == Phase.FEEDBACK
    form = page.locator(f"form[action^='/behandeling/{report.pk}/terugkoppeling/eind/']")
    assert form.locator("textarea[name='feedback-final-text']").input_value() == FINAL
    assert_no_axe_violations(page)
    screenshot(page, f"case-page-{width}-not-confirmed")

    # Ticked (the label ticks it): sent, and the case moves on to aftercare.
    form.locator(f"label[for='{confirm.get_attribute('id')}']").click()
    assert form.locator("input[name=confirm]").is_checked()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/behandeling/{report.pk}/"))
    assert page.locator(".int-messages .utrecht-alert--ok").count() == 1
    assert Report.objects.get(pk=report.pk).phase == Phase.AFTERCARE
    screenshot(page, f"case-page-{width}-aftercare")
