"""Lighthouse on the public pages, as a reporter on a phone meets them (issue 10): accessibility
and best practices at least 95, performance at least 90 with Lighthouse's mobile defaults
(simulated slow 4G and a slower processor).

`node_modules/.bin/lighthouse` (pinned in package.json) drives Debian's chromium (CHROME_PATH);
the JSON reports are kept in var/lighthouse/ to read when a score drops. docs/accessibility.md.

The pages are served as in production: the static files collected and compressed
(CompressedStaticFilesStorage) and served by WhiteNoise with a long cache lifetime, in front of
the application on the test database; each page is requested once before Lighthouse measures it,
so that it measures the page and not the first request of a fresh server process.
"""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.test.testcases import LiveServerThread
from whitenoise import WhiteNoise

from integriteit.browser_testing import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

BASE_DIR = Path(settings.BASE_DIR)
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = BASE_DIR / "var" / "lighthouse"
MINIMUM = {"accessibility": 95, "best-practices": 95, "performance": 90}
PUBLIC_PAGES = {
    "home": "/",
    "report-start": "/melden/",
    "mailbox-login": "/postbus/",
    "process": "/meldproces/",
    "advisers-finder": "/vertrouwenspersonen/",
}


@pytest.fixture(scope="module")
def production_server(live_server, tmp_path_factory):
    """The application with its static files served as in production (live_server for the
    allowed host and the database it shares with the tests)."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    thread = LiveServerThread(
        "localhost",
        lambda app: WhiteNoise(
            app, root=str(root), prefix=settings.STATIC_URL, max_age=365 * 24 * 3600
        ),
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


def lighthouse(url: str, name: str) -> dict:
    if not LIGHTHOUSE.exists():
        pytest.fail(f"{LIGHTHOUSE} is missing: run npm ci (make test does).")
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(MINIMUM)}",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
            "--no-enable-error-reporting",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        timeout=180,
        check=True,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def _failing_audits(result: dict, category: str) -> list[str]:
    audits = result["audits"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']}): {audits[ref['id']]['title']}"
        for ref in result["categories"][category]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]]["score"] or 0) < 1
    ]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_public_page_scores_well_in_lighthouse(demo, production_server, name):
    url = production_server + PUBLIC_PAGES[name]
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our test server)
        assert response.status == 200
    result = lighthouse(url, name)
    assert not result.get("runtimeError"), result["runtimeError"]
    scores = {
        category: round(100 * (result["categories"][category]["score"] or 0))
        for category in MINIMUM
    }
    print(name, scores)
    low = {category: score for category, score in scores.items() if score < MINIMUM[category]}
    assert not low, {category: _failing_audits(result, category) for category in low}
