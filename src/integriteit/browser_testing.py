"""Browser-test support shared by every app: Playwright (sync API) driving Debian's Chromium
against pytest-django's live server, axe-core checks, and the staff login with a second factor.

Not used by the application. The session-wide `browser` fixture is registered once, in
src/integriteit/conftest.py: Playwright's sync API cannot run twice in one thread, so each
browser-test directory must not start its own. The other fixtures are imported by the
conftest.py of each browser-test directory.

No browser is downloaded: /usr/bin/chromium must exist, and the tests fail when it does not.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from integriteit import testing
from integriteit.accounts.demo import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = (
    "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
)
TIMEOUT_MS = 10_000
# Screenshots of the pages a test looks at, kept as CI artefacts (var/ is not in git).
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

__all__ = [
    "AXE",
    "CHROMIUM",
    "TIMEOUT_MS",
    "assert_no_axe_violations",
    "demo",
    "log_in_staff",
    "new_page",
    "open_mailbox",
    "page",
    "screenshot",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does).")
    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
    # next to it (SynchronousOnlyOperation) although every call here really is synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo people (accounts/demo.py), in a database the live server can see.

    A transactional test empties the tables afterwards, including the violation and measure
    types that data migrations add; load_people puts them back first.
    """
    return testing.load_people()


@pytest.fixture
def new_page(browser, live_server):
    """A factory for pages, each in a fresh context (own cookies: a separate person)."""
    contexts = []

    def make():
        # Reduced motion: the NL Design System scrolls smoothly otherwise, and every click
        # would wait about a second for the page to stop scrolling.
        context = browser.new_context(
            base_url=live_server.url, locale="nl-NL", reduced_motion="reduce"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_no_axe_violations(page):
    """Run axe-core (WCAG 2.1 A and AA) on the page; page.evaluate is not bound by the CSP."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm install (make test does).")
    page.evaluate(AXE.read_text())
    result = page.evaluate(AXE_RUN)
    violations = result["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(
                    f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}"
                )
        message = "\n".join(lines)
        print(message)
        pytest.fail(message)


def screenshot(page, name: str) -> Path:
    """Save the whole page as var/screenshots/<name>.png, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in_staff(page, user, *, check_axe: bool = True):
    """Log in through the real login page and second-factor page."""
    page.goto("/account/inloggen/")
    if check_axe:
        assert_no_axe_violations(page)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/tweede-factor/$"))
    if check_axe:
        assert_no_axe_violations(page)
    page.fill("input[name=token]", testing.current_code(user))
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/behandeling/$"))


def open_mailbox(page, code):
    """Open the reporter's mailbox with the receipt code, as on another device."""
    page.goto("/postbus/")
    page.fill("input[name=code]", code)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/postbus/berichten/$"))
