"""Issue 10 defect 2 (WCAG 1.4.10 reflow): the receipt code can be read and copied exactly, on a
phone (390 px) and on a desktop (1280 px). It wraps only between its groups of four, the heading
above it keeps its words whole, and a copy button (JavaScript) or a plain selection (without)
takes the whole code."""

import re

import pytest

from integriteit.browser_testing import screenshot

from .conftest import assert_no_axe_violations
from .test_reporter import RECEIPT_CODE, fill_report

pytestmark = pytest.mark.browser

# Every visible character under the element, with the line box it was laid out in.
CHARACTERS = r"""element => {
    const out = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeType === Node.ELEMENT_NODE) {
            if (node.tagName === "BR") out.push([" ", 0, 0, 0]);  // a line break ends a word
            continue;
        }
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            // A space where a line breaks has no width; it still separates words.
            if (box.width > 0 || /\s/.test(node.data[i])) {
                out.push([node.data[i], box.top, box.bottom, box.right]);
            }
        }
    }
    return out;
}"""


def words_with_lines(page, selector: str, separators: str) -> list[tuple[str, set[int]]]:
    """Each word of the element's text (split at `separators`) with the lines it is on."""
    words: list[tuple[str, set[int]]] = []
    current, lines = "", set[int]()
    for char, top, bottom, _right in page.eval_on_selector(selector, CHARACTERS):
        if char in separators or char.isspace():
            if current:
                words.append((current, lines))
            current, lines = "", set()
            continue
        current += char
        lines.add(round((top + bottom) / 2 / 4))  # the line's middle, to within 4 px
    if current:
        words.append((current, lines))
    return words


def lines_of(page, selector: str) -> int:
    characters = page.eval_on_selector(selector, CHARACTERS)
    middles = {round((t + b) / 2 / 4) for c, t, b, _r in characters if not c.isspace()}
    return len(middles)


def widest(page, selector: str) -> float:
    return max(right for *_rest, right in page.eval_on_selector(selector, CHARACTERS))


def send_report(page) -> str:
    page.goto("/melden/bzk/")
    fill_report(page, "Er verdwijnen laptops uit het magazijn.")
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/controleren/$"))
    page.click("form[action='/melden/versturen/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/ontvangen/$"))
    return page.locator("#receipt-code").inner_text().strip()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_code_wraps_only_between_groups(demo, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    code = send_report(page)
    screenshot(page, f"receipt-code-{width}")
    assert RECEIPT_CODE.match(code), code
    groups = words_with_lines(page, "#receipt-code", "-")
    assert [group for group, _ in groups] == code.split("-")
    for group, lines in groups:
        assert len(lines) == 1, f"group {group} is broken over {len(lines)} lines at {width} px"
    for word, lines in words_with_lines(page, "main h1", ""):
        assert len(lines) == 1, f"the heading breaks inside '{word}' at {width} px"
    # Nor does any other word on the page, the button's and the footer's included.
    for word, lines in words_with_lines(page, "body", "-"):
        assert len(lines) == 1, f"'{word}' is broken over {len(lines)} lines at {width} px"
    # Nothing to scroll sideways for (WCAG 1.4.10) and, on a desktop, the code on one line.
    assert widest(page, "#receipt-code") <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width >= 1280:
        assert lines_of(page, "#receipt-code") == 1
    assert_no_axe_violations(page)


def test_the_copy_button_copies_the_whole_code(demo, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 390, "height": 900})
    code = send_report(page)
    button = page.locator("#copy-receipt-code")
    assert button.is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == code
    status = page.locator("#copy-receipt-code-status")
    assert status.inner_text().strip()
    screenshot(page, "receipt-code-copied")


def test_without_javascript_the_code_is_selected_whole(demo, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 390, "height": 900})
        code = send_report(page)
        # No button that does nothing: it is there only where a script can make it work.
        assert not page.locator("#copy-receipt-code").is_visible()
        page.click("#receipt-code")
        assert page.evaluate("String(window.getSelection())") == code
    finally:
        context.close()
