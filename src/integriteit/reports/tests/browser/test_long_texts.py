"""Issue 10 defect 8 in a real browser: a text pasted past a field's limit is not cut; the
counter says how many characters are left, or how many too many; sent anyway, the form refuses
it and the whole text is still in the field."""

import re

import pytest

from integriteit.browser_testing import screenshot
from integriteit.reports.forms import ANSWER_MAX
from integriteit.reports.models import Report

from .conftest import assert_no_axe_violations
from .test_reporter import fill_report

pytestmark = pytest.mark.browser


def test_a_long_paste_is_counted_and_kept(demo, page):
    page.goto("/melden/bzk/")
    counter = page.locator("#id_involved_text_counter")
    assert counter.is_visible()
    before = counter.inner_text()
    assert f"{ANSWER_MAX:,}".replace(",", ".") in before  # "Characters left: 20.000", in Dutch

    fill_report(page, "Er verdwijnen laptops uit het magazijn.")
    text = "Jan de Vries, afdeling inkoop. " * (ANSWER_MAX // 31 + 5)
    page.fill("textarea[name=involved_text]", text)
    # Nothing cut as she pastes, and the counter tells her so.
    assert len(page.input_value("textarea[name=involved_text]")) == len(text)
    assert "int-counter--over" in (counter.get_attribute("class") or "")
    assert counter.inner_text() != before
    screenshot(page, "long-text-counter")
    assert_no_axe_violations(page)

    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_selector("#id_involved_text_error")
    assert re.search(r"/melden/bzk/$", page.url)
    assert page.input_value("textarea[name=involved_text]") == text
    assert not Report.objects.exists()
