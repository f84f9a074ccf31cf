"""Lighthouse on the public pages, as a reporter on a phone meets them (issue 10): accessibility
and best practices at least 95, performance at least 90 with Lighthouse's mobile defaults
(simulated slow 4G and a slower processor).

`node_modules/.bin/lighthouse` (pinned in package.json) drives Debian's chromium (CHROME_PATH);
the JSON reports are kept in var/lighthouse/ to read when a score drops. docs/accessibility.md.

The pages are served as in production: the static files collected and compressed
(CompressedStaticFilesStorage) and served by WhiteNoise with a long cache lifetime, in front of
the application on the test database; each page is requested once before Lighthouse measures it,
so that it measures the page and not the first request of a fresh server process.

On a slow or busy machine (Lighthouse's benchmark index below 1000, when Lighthouse itself warns
that its performance score is unreliable) Total Blocking Time measures the machine: performance
is then judged by the metrics the page decides, each at least 0.9 (first and largest contentful
paint, speed index, layout shift). Accessibility and best practices are judged in full always.
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
# Below this benchmark index Lighthouse warns "The tested device appears to have a slower CPU
# than Lighthouse expects" (lighthouse/core/gather/driver/environment.js).
SLOW_CPU_BENCHMARK_INDEX = 1000
PAGE_METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "speed-index",
    "cumulative-layout-shift",
)
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

    def static_handler(app):
        return WhiteNoise(app, root=str(root), prefix=settings.STATIC_URL, max_age=365 * 24 * 3600)

    # Django types the handler as a class; any callable that wraps the application will do.
    thread = LiveServerThread("localhost", static_handler)  # type: ignore[arg-type]
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
    run = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(MINIMUM)}",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
            "--no-enable-error-reporting",
        ],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, f"lighthouse exited with {run.returncode}: {run.stderr[-2000:]}"
    return json.loads(report.read_text(encoding="utf-8"))


def _failing_audits(result: dict, category: str) -> list[str]:
    audits = result["audits"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']}): {audits[ref['id']]['title']}"
        for ref in result["categories"][category]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]]["score"] or 0) < 1
    ]


def _scores(result: dict) -> dict[str, int]:
    assert not result.get("runtimeError"), result["runtimeError"]
    return {
        category: round(100 * (result["categories"][category]["score"] or 0))
        for category in MINIMUM
    }


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_public_page_scores_well_in_lighthouse(demo, production_server, name):
    url = production_server + PUBLIC_PAGES[name]
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our test server)
        assert response.status == 200
    try:
        result = lighthouse(url, name)
        assert not result.get("runtimeError")
    except AssertionError:
        # Lighthouse itself failed (e.g. NO_NAVSTART: it lost the page's trace on a busy
        # machine); that says nothing about the page. Once more.
        result = lighthouse(url, name)
    scores = _scores(result)
    benchmark = result["environment"]["benchmarkIndex"]
    print(name, scores, f"benchmarkIndex {benchmark:.0f}")
    low = {category: score for category, score in scores.items() if score < MINIMUM[category]}
    if "performance" in low and benchmark < SLOW_CPU_BENCHMARK_INDEX:
        # Lighthouse warns that its performance score is not to be trusted on this machine: its
        # processor (or a busy one) blocks the main thread for longer than the phone it
        # simulates. Total Blocking Time then measures the machine, not the page; what the page
        # decides (bytes before the first paint, layout shifts) must still be good.
        low.pop("performance")
        metrics = {key: result["audits"][key]["score"] for key in PAGE_METRICS}
        print(name, "slow CPU: performance judged without Total Blocking Time", metrics)
        poor = [key for key, score in metrics.items() if score is None or score < 0.9]
        assert not poor, _failing_audits(result, "performance")
    assert not low, {category: _failing_audits(result, category) for category in low}
