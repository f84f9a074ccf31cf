"""pa11y itself (HTML CodeSniffer, WCAG2AA) on the public pages finds no errors, and finds what
the in-page check that every browser test runs finds (browser_testing.assert_no_htmlcs_errors).

pa11y runs as a user would run it, `node_modules/.bin/pa11y` with the repository's pa11y.json
(Debian's chromium, no browser download), against the live server.
"""

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from integriteit.browser_testing import htmlcs_errors

pytestmark = pytest.mark.browser

BASE_DIR = Path(settings.BASE_DIR)
PA11Y = BASE_DIR / "node_modules" / ".bin" / "pa11y"
PUBLIC_PAGES = [
    "/",
    "/melden/",
    "/melden/bzk/",
    "/postbus/",
    "/meldproces/",
    "/vertrouwenspersonen/",
    "/account/inloggen/",
]
# Five errors of four kinds: no alt text, an unlabelled field, a form that cannot be sent by
# keyboard, a link to nowhere.
BROKEN_PAGE = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Kapot</title>
</head><body><main><h1>Kapot</h1><img src="x.png"><form><input type="text" name="q"></form>
<a href="#nergens">Naar niets</a></main></body></html>"""


def pa11y_errors(url: str) -> list[dict]:
    if not PA11Y.exists():
        pytest.fail(f"{PA11Y} is missing: run npm ci (make test does).")
    result = subprocess.run(  # exits 2 when it finds errors
        [str(PA11Y), "--config", str(BASE_DIR / "pa11y.json"), "--reporter", "json", url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BASE_DIR,
        check=False,
    )
    assert result.returncode in (0, 2), result.stderr
    return [issue for issue in json.loads(result.stdout or "[]") if issue["type"] == "error"]


def _found(errors: list[dict]) -> Counter:
    return Counter((error["code"], error["message"]) for error in errors)


def test_pa11y_and_the_in_page_check_find_the_same_errors(page, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    page.goto(broken.as_uri())
    in_page = _found(htmlcs_errors(page))
    assert sum(in_page.values()) == 5
    assert _found(pa11y_errors(broken.as_uri())) == in_page


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pa11y_finds_no_errors_on_a_public_page(demo, live_server, page, path):
    errors = pa11y_errors(live_server.url + path)
    assert errors == [], json.dumps(errors, indent=2)
    page.goto(path)
    assert htmlcs_errors(page) == []
