"""A coordinator imports an earlier register in a real browser: upload, the mapping with its
guesses, the dry run showing a row's error, the import of the valid rows only; every page passes
axe-core."""

import re

import pytest

from integriteit.registry.models import Entry, ImportJob

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser

CSV = (
    "Kenmerk;Datum ontvangst;Soort schending;Onderzocht;Vastgesteld;Maatregelen\n"
    "OUD-1;3-2-2016;Financiële schendingen;ja;financial;ontslag\n"
    "OUD-2;31-02-2016;behaviour;nee;;\n"
    "OUD-3;5-2-2016;behaviour;nee;;geen maatregel\n"
)


def test_coordinator_imports_a_register(demo, new_page, tmp_path):
    file = tmp_path / "register.csv"
    file.write_text(CSV, encoding="utf-8")
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto("/register/importeren/")
    assert_no_axe_violations(page)
    page.set_input_files("input[type=file]", str(file))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    job = ImportJob.objects.get()
    page.wait_for_url(re.compile(rf"/register/importeren/{job.pk}/$"))
    assert page.locator("select[name=column_0]").input_value() == "reference"
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("form[action$='/koppelen/'] button[type=submit]")
    assert page.locator("tr[data-status=invalid]").count() == 1
    assert "31-02-2016" in page.locator("tr[data-row='3']").inner_text()
    assert_no_axe_violations(page)
    page.check("input[name=only_valid]")
    page.check("input[name=confirm]")
    with page.expect_navigation():
        page.click("form[action$='/uitvoeren/'] button[type=submit]")
    assert page.locator("#import-done").count() == 1
    assert_no_axe_violations(page)
    assert sorted(Entry.objects.filter(source="imported").values_list("reference", flat=True)) == [
        "OUD-1",
        "OUD-3",
    ]
