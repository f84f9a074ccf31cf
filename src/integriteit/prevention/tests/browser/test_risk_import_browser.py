"""A coordinator imports an existing risk register into an analysis in a real browser: the
upload, a refused file with its reason, the dry run with the rows' errors and the import of the
valid rows; every page passes axe-core."""

import pytest

from integriteit.prevention.models import Risk

from ..analyses_helpers import make_analysis
from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser

REGISTER = (
    "Proces;Risico;Kans vóór maatregelen;Impact vóór maatregelen\n"
    "Inkoop;Bevoordeling van een leverancier;4;3\n"
    "Inkoop;Buiten de matrix;9;3\n"
    "Subsidies;Fraude met aanvragen;;5\n"
).encode()


def _submit(page, form: str):
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_a_coordinator_imports_a_risk_register(demo, new_page):
    analysis = make_analysis(demo["coordinator"])
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto(f"/risicoanalyses/{analysis.pk}/")
    with page.expect_navigation():
        page.click("#risk-import")
    assert_no_axe_violations(page)

    page.set_input_files(
        "#id_file", {"name": "register.csv", "mimeType": "text/csv", "buffer": b"Naam\nX\n"}
    )
    _submit(page, "main form.utrecht-form")
    assert page.locator("#form-errors [data-refusal]").count() == 1  # no process, no title
    assert_no_axe_violations(page)

    page.set_input_files(
        "#id_file", {"name": "register.csv", "mimeType": "text/csv", "buffer": REGISTER}
    )
    _submit(page, "main form.utrecht-form")
    assert page.url.endswith(f"/risicoanalyses/{analysis.pk}/importeren/controle/")
    assert page.locator("[data-valid-rows]").get_attribute("data-valid-rows") == "1"
    assert page.locator('tr[data-row][data-errors="1"]').count() == 2
    assert_no_axe_violations(page)
    assert not Risk.objects.filter(process__analysis=analysis).exists()

    page.check("#import-confirm-box")
    _submit(page, "#import-confirm")
    assert page.url.endswith(f"/risicoanalyses/{analysis.pk}/")
    assert list(
        Risk.objects.filter(process__analysis=analysis).values_list("title", flat=True)
    ) == ["Bevoordeling van een leverancier"]
    assert_no_axe_violations(page)
