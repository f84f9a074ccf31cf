"""The coordinator keeps the registry in a real browser (issue 11 "It must show"): she opens
the registry, opens an entry registered by hand, corrects it with a reason and finds the change
in the entry's history; every page passes axe-core and HTML CodeSniffer.

The site is in Dutch: elements are found by name, id and URL.
"""

import datetime

import pytest

from integriteit.registry.constants import EntrySource
from integriteit.registry.models import Entry
from integriteit.registry.tests.helpers import investigated, make_entry

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser

REASON = "Aantal maatregelen gecorrigeerd na controle van het papieren dossier"


def test_coordinator_corrects_an_entry_and_sees_it_in_the_history(demo, new_page):
    entry = make_entry(reference="BZK-P-2023-001", **investigated())
    make_entry(reference="BZK-P-2022-004", received_on=datetime.date(2022, 9, 1))

    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)  # checked in reports/

    page.goto("/register/")
    rows = page.locator("table.int-registry tbody tr")
    assert rows.count() == 2
    assert rows.first.get_attribute("data-entry") == str(entry.pk)
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.click(f"a[href='/register/{entry.pk}/']")
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.click("#correct-link")
    assert page.url.endswith(f"/register/{entry.pk}/corrigeren/")
    assert_no_axe_violations(page)

    page.fill("input[name=measure_written_reprimand]", "3")
    # Without a reason the correction is refused and the typed count kept.
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    assert page.locator("#form-errors").count() == 1
    assert page.input_value("input[name=measure_written_reprimand]") == "3"
    assert_no_axe_violations(page)

    page.fill("textarea[name=reason]", REASON)
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    assert page.url.endswith(f"/register/{entry.pk}/")
    assert page.locator(".int-messages .utrecht-alert--ok").count() == 1
    newest = page.locator(".int-history__item").first
    assert newest.get_attribute("data-source") == EntrySource.MANUAL
    assert REASON in newest.inner_text()
    assert "× 3" in newest.inner_text() and "× 2" in newest.inner_text()
    assert_no_axe_violations(page)

    assert Entry.objects.get(pk=entry.pk).measures.get().count == 3
