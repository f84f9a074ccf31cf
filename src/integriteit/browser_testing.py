"""Browser-test support shared by every app: Playwright (sync API) driving Debian's Chromium
against pytest-django's live server, accessibility checks (axe-core, and HTML CodeSniffer as pa11y
runs it), and the staff login with a second factor.

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
# pa11y's own build of HTML CodeSniffer (package-lock.json pins it through pa11y), run in the page
# as pa11y's htmlcs runner runs it: the WCAG2AA standard, errors only (pa11y's default ignores
# warnings and notices). test_pa11y.py runs the pa11y command itself and checks that both agree.
HTMLCS = (
    Path(settings.BASE_DIR) / "node_modules" / "@pa11y" / "html_codesniffer" / "build" / "HTMLCS.js"
)
HTMLCS_STANDARD = "WCAG2AA"
HTMLCS_RUN = """standard => new Promise((resolve, reject) => {
    window.HTMLCS.process(standard, window.document, error => {
        if (error) { reject(error); return; }
        resolve(window.HTMLCS.getMessages().filter(message => message.type === 1).map(message => ({
            code: message.code,
            message: message.msg,
            context: message.element && message.element.outerHTML
                ? message.element.outerHTML.slice(0, 200) : '',
        })));
    });
})"""
TIMEOUT_MS = 10_000
# Screenshots of the pages a test looks at, kept as CI artefacts (var/ is not in git).
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

__all__ = [
    "AXE",
    "CHROMIUM",
    "TIMEOUT_MS",
    "assert_checked_looks_checked",
    "assert_no_axe_violations",
    "assert_no_htmlcs_errors",
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
    """Run axe-core (WCAG 2.1 A and AA) and HTML CodeSniffer (WCAG2AA, as pa11y) on the page;
    page.evaluate is not bound by the CSP."""
    _assert_no_axe_violations(page)
    assert_no_htmlcs_errors(page)


def htmlcs_errors(page) -> list[dict]:
    """HTML CodeSniffer's errors on the page, as pa11y reports them (code, message, context)."""
    if not HTMLCS.exists():
        pytest.fail(f"{HTMLCS} is missing: run npm ci (make test does).")
    if not page.evaluate("typeof window.HTMLCS !== 'undefined'"):
        page.evaluate(HTMLCS.read_text())
    return page.evaluate(HTMLCS_RUN, HTMLCS_STANDARD)


def assert_no_htmlcs_errors(page):
    errors = htmlcs_errors(page)
    if errors:
        lines = [
            f"HTML CodeSniffer ({HTMLCS_STANDARD}) found {len(errors)} error(s) on {page.url}:"
        ]
        lines += [f"- {e['code']}: {e['message']}\n    {e['context']}" for e in errors]
        message = "\n".join(lines)
        print(message)
        pytest.fail(message)


def _assert_no_axe_violations(page):
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
    # Each role lands on its own work (ui.landing): wait until the second factor is behind us.
    page.wait_for_url(lambda url: "/account/" not in url)
    page.wait_for_load_state()


def open_mailbox(page, code):
    """Open the reporter's mailbox with the receipt code, as on another device."""
    page.goto("/postbus/")
    page.fill("input[name=code]", code)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/postbus/berichten/$"))


def _look(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        """input => {
            const style = getComputedStyle(input);
            return {background: style.backgroundImage + ' ' + style.backgroundColor,
                    border: style.borderColor + ' ' + style.borderWidth};
        }""",
    )


def assert_checked_looks_checked(page, checked: str, unchecked: str) -> dict:
    """Issue 10 defect 1 (WCAG 1.4.11): a radio button or checkbox that is checked looks
    different from one that is not (the NL Design System draws the checked state only on inputs
    with the html-input modifier). Checks `checked`, leaves `unchecked` unchecked and compares
    them at rest, neither hovered nor focused (those states have their own colours). Returns
    both looks, to compare with the other inputs of the form."""
    page.check(checked)
    if page.is_checked(unchecked):
        page.uncheck(unchecked)
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    looks = {"checked": _look(page, checked), "unchecked": _look(page, unchecked)}
    assert looks["checked"] != looks["unchecked"], looks
    return looks
