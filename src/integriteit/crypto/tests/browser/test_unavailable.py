"""The 'temporarily unavailable' page (ADR 0011) is accessible (axe, WCAG 2.1 AA) in both
languages and still shows the other places a reporter can go."""

import pytest

from integriteit.crypto.keycheck import checked_keyring

from ..conftest import wrong_document
from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/melden/bzk/", "/en/postbus/"])
def test_unavailable_page_has_no_axe_violations(demo, page, use_document, path):
    checked_keyring()  # the real document's fingerprints, as after the first start
    use_document(wrong_document())
    response = page.goto(path)
    assert response.status == 503
    assert page.locator("h1").count() == 1
    assert page.locator("text=Huis voor Klokkenluiders").count() == 1
    assert_no_axe_violations(page)
