"""Issue 10: the reporter's whole path, on a desktop (1280 px) and a phone (390 px), page by page:
start page, organisation, form (anonymous, a colleague's name typed), check page (whom the system
recognised), send, receipt code, "written down", mailbox login with the code, mailbox, a message
of hers that appears there. Each page is checked with axe-core and HTML CodeSniffer, must not
scroll sideways, and on a phone no element may stick out of the viewport (WCAG 1.4.10 reflow).
A screenshot of each step is kept in var/screenshots/ (reporter-path-<width>-<step>.png)."""

import re

import pytest

from integriteit.browser_testing import screenshot
from integriteit.reports.constants import Sender
from integriteit.reports.models import Report

from .conftest import assert_no_axe_violations
from .test_receipt_code import lines_of, words_with_lines
from .test_reporter import RECEIPT_CODE, fill_report

pytestmark = pytest.mark.browser

DESCRIPTION = "Mijn leidinggevende laat declaraties dubbel uitbetalen."
MESSAGE = "Ik heb nog een overzicht van de declaraties gevonden."

# Visible elements that reach beyond the viewport's left or right edge. Left out: what is hidden
# for the eye but read out (visually-hidden text, 1 px, clipped), and what sits inside an element
# that scrolls or clips sideways by itself (a wide table in its own scroll box does not make the
# page scroll).
OVERFLOWING = r"""() => {
    const width = document.documentElement.clientWidth;
    const clipsSideways = element => {
        for (let parent = element.parentElement; parent && parent !== document.body;
             parent = parent.parentElement) {
            const overflow = getComputedStyle(parent).overflowX;
            if (overflow === "auto" || overflow === "scroll" || overflow === "hidden"
                || overflow === "clip") return true;
        }
        return false;
    };
    const out = [];
    for (const element of document.body.querySelectorAll("*")) {
        const style = getComputedStyle(element);
        if (style.display === "none" || style.visibility === "hidden") continue;
        const box = element.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;
        if (box.right <= width + 0.5 && box.left >= -0.5) continue;
        if (clipsSideways(element)) continue;
        const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
            + (element.className && typeof element.className === "string"
               ? "." + element.className.trim().split(/\s+/).join(".") : "");
        out.push(`${name} [${Math.round(box.left)}, ${Math.round(box.right)}] > ${width}`);
    }
    return out;
}"""


def look_at(page, width: int, step: str) -> None:
    """Keep a screenshot of the step and check the page: accessible, nothing to scroll sideways
    for, and on a phone nothing sticking out."""
    screenshot(page, f"reporter-path-{width}-{step}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"the {step} page scrolls sideways at {width} px"
    )
    if width <= 390:
        assert page.evaluate(OVERFLOWING) == [], f"elements overflow on the {step} page"
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_reporters_whole_path(demo, new_page, width):
    manager = demo["manager"]
    organisation = demo["coordinator"].unit.organisation
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})

    # 1. The start page: what happens, who sees it, which organisation.
    page.goto("/melden/")
    look_at(page, width, "1-start")
    page.select_option("select[name=organisation]", label=organisation.name)
    with page.expect_navigation():
        page.click("form[action='/melden/'] button[type=submit]")
    page.wait_for_url(re.compile(rf"/melden/{organisation.slug}/$"))

    # 2. The form: anonymous (the default), with the name of a colleague typed in.
    look_at(page, width, "2-form")
    assert manager.get_full_name() not in page.content()
    fill_report(page, DESCRIPTION)
    assert page.is_checked("input[name=anonymous][value='1']")
    page.fill("textarea[name=involved_names]", manager.get_full_name())
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/controleren/$"))

    # 3. The check page: nothing sent yet, and whom the system recognised among the names.
    look_at(page, width, "3-check")
    summary = page.locator("dl.int-summary").inner_text()
    assert DESCRIPTION in summary
    assert manager.get_full_name() in page.locator("#involved-names").inner_text()
    assert page.locator("#involved-names [data-recognised=yes]").count() == 1
    assert page.locator("#involved-names [data-recognised=no]").count() == 0
    assert organisation.name in page.locator(".utrecht-alert--info").inner_text()
    assert not Report.objects.submitted().exists()

    # 4. Send: the receipt page with the code, readable and copyable at this width.
    with page.expect_navigation():
        page.click("form[action='/melden/versturen/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/ontvangen/$"))
    look_at(page, width, "4-received")
    code = page.locator("#receipt-code").inner_text().strip()
    assert RECEIPT_CODE.match(code), code
    groups = words_with_lines(page, "#receipt-code", "-")
    assert [group for group, _ in groups] == code.split("-")
    for group, lines in groups:
        assert len(lines) == 1, f"group {group} is broken over {len(lines)} lines at {width} px"
    if width >= 1280:
        assert lines_of(page, "#receipt-code") == 1
    report = Report.objects.submitted().get()
    assert report.is_anonymous
    assert report.reference in page.locator("main").inner_text()

    # 5. "I have written down my code": the code is gone, the mailbox login is next.
    with page.expect_navigation():
        page.click("#written-down")
    page.wait_for_url(re.compile(r"/postbus/$"))
    assert code not in page.content()
    look_at(page, width, "5-mailbox-login")

    # 6. The mailbox, opened with the code as she wrote it down.
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/postbus/berichten/$"))
    look_at(page, width, "6-mailbox")
    assert report.reference in page.locator("h1").inner_text()
    assert page.locator("dl.int-summary .int-deadline").count() == 2
    assert page.locator("textarea[name=text]").is_visible()

    # 7. She sends a message; it appears in her mailbox as hers.
    page.fill("textarea[name=text]", MESSAGE)
    with page.expect_navigation():
        page.click("form:has(textarea[name=text]) button[type=submit]")
    page.wait_for_url(re.compile(r"/postbus/berichten/$"))
    look_at(page, width, "7-message-sent")
    sent = page.locator(f"article.int-message--{Sender.REPORTER}").filter(has_text=MESSAGE)
    assert sent.count() == 1
    assert sent.is_visible()
    assert report.messages.filter(sender=Sender.REPORTER).count() == 1
