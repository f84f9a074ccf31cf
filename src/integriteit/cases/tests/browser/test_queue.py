"""The coordinator's work queue in a real browser at 1280 px and at 390 px (issue 10 "Work
queue"): the filter bar works as a plain GET form, the column headers sort (aria-sort) and never
break inside a word, the export link carries the filters, and on a phone the table scrolls in
its own container while the page does not. Screenshots go to var/screenshots/.
"""

import csv
import io
import re

import pytest

from integriteit import testing
from integriteit.browser_testing import assert_no_axe_violations, log_in_staff, screenshot
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.browser

# Every word of every header's and cell's text on one line: a word broken over two lines has
# client rectangles on two different lines (the NL Design System root breaks words anywhere).
BROKEN_HEADER_WORDS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll('table.int-queue th, table.int-queue td')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const words = /\\S+/g;
      let match;
      while ((match = words.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

PAGE_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
TABLE_SCROLLS = """() => {
  const box = document.querySelector('.int-queue-table');
  return box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === 'auto';
}"""


@pytest.fixture
def cases(demo):
    """Some open cases and a closed one at BZK, one with a handler, and one of Finance."""
    made = [testing.make_report("bzk")[0] for _ in range(4)]
    closed = testing.make_report("bzk")[0]
    Report.objects.filter(pk=closed.pk).update(phase=Phase.CLOSED)
    CaseAssignment.objects.create(report=made[0], user=demo["coordinator"], role=CaseRole.HANDLER)
    fin = testing.make_report("fin")[0]
    return made, closed, fin


def references(page) -> list[str]:
    return page.locator("table.int-queue tbody tr td:first-child a").all_inner_texts()


def test_the_queue_at_1280_px(demo, page, cases):
    made, closed, fin = cases
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_staff(page, demo["coordinator"], check_axe=False)  # the login is checked in reports/
    assert re.search(r"/behandeling/$", page.url)  # the coordinator lands on her queue
    assert_no_axe_violations(page)
    shown = references(page)
    assert {report.reference for report in made} == set(shown)  # open cases only
    assert fin.reference not in shown
    assert page.evaluate(BROKEN_HEADER_WORDS) == []
    screenshot(page, "queue-coordinator-1280")

    # The filter bar is a GET form: all cases, closed ones too, then only my own.
    page.select_option("select[name=phase]", "all")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"phase=all"))
    assert closed.reference in references(page)
    page.select_option("select[name=assignee]", "mine")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"assignee=mine"))
    assert references(page) == [made[0].reference]
    page.select_option("select[name=assignee]", "")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()

    # Sorting: the header is a link; the sorted column says so to assistive technology.
    page.locator("th a.int-queue__sort[href*='sort=reference']").click()
    page.wait_for_url(re.compile(r"sort=reference"))
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending"
    ordered = references(page)
    assert ordered == sorted(ordered) and "phase=all" in page.url
    page.locator("th[aria-sort] a").click()
    page.wait_for_url(re.compile(r"sort=-reference"))
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert references(page) == sorted(ordered, reverse=True)
    assert page.evaluate(BROKEN_HEADER_WORDS) == []
    assert_no_axe_violations(page)
    screenshot(page, "queue-coordinator-1280-sorted")

    # The export carries the same filters and sort, and holds the same rows.
    link = page.locator("a[href*='/behandeling/werkvoorraad.csv']")
    href = link.get_attribute("href")
    assert "phase=all" in href and "sort=-reference" in href
    download = page.request.get(href)
    assert download.status == 200
    rows = list(csv.reader(io.StringIO(download.text())))
    assert [row[0] for row in rows[1:]] == references(page)


def test_the_queue_at_390_px(demo, page, cases):
    made, _closed, _fin = cases
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_staff(page, demo["coordinator"], check_axe=False)
    assert page.evaluate(PAGE_FITS), "the page scrolls sideways"
    assert page.evaluate(TABLE_SCROLLS), "the table does not scroll in its own container"
    # The filter bar is usable: every field and the button fit the screen.
    for selector in ("input[name=q]", "select[name=phase]", "select[name=assignee]"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    button = page.locator("form[role=search] button[type=submit]").bounding_box()
    assert button is not None and button["x"] + button["width"] <= 390
    assert page.evaluate(BROKEN_HEADER_WORDS) == []
    assert_no_axe_violations(page)
    screenshot(page, "queue-coordinator-390")

    page.fill("input[name=q]", made[1].reference)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"q="))
    assert references(page) == [made[1].reference]
    assert page.evaluate(PAGE_FITS)
    screenshot(page, "queue-coordinator-390-search")
