"""The meldpunt's workspace in a real browser: login with a second factor, the work queue, the
report page and its actions, and what someone named in a report (does not) find."""

import io
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from integriteit import testing
from integriteit.accounts.demo import DEMO_PASSWORD

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser

ACKNOWLEDGEMENT = "Dank u voor uw melding. Wij hebben haar ontvangen."
QUESTION = "Kunt u aangeven om welke maanden het gaat?"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 182, 18)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def reported(demo):
    """An anonymous report naming the manager, with a photo, and its receipt code."""
    return testing.make_report(
        description="Mijn leidinggevende laat declaraties dubbel uitbetalen.",
        involved=(demo["manager"],),
        files=(("bon.png", png_bytes()),),
    )


def open_mailbox(page, code):
    page.goto("/postbus/")
    page.fill("input[name=code]", code)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/postbus/berichten/$"))


def test_coordinator_acknowledges_and_asks_and_reporter_reads(demo, reported, new_page):
    report, code = reported
    coordinator = new_page()
    log_in_staff(coordinator, demo["coordinator"])

    assert_no_axe_violations(coordinator)
    row = coordinator.locator("tr").filter(has_text=report.reference)
    assert row.count() == 1
    row.get_by_role("link", name=report.reference).click()
    coordinator.wait_for_url(re.compile(rf"/behandeling/{report.pk}/$"))
    assert_no_axe_violations(coordinator)
    main = coordinator.locator("main").inner_text()
    assert "Mijn leidinggevende laat declaraties dubbel uitbetalen." in main
    assert "Mark Leidinggevende" in main
    assert coordinator.get_by_role("link", name="bon.png").count() == 1

    acknowledge = coordinator.locator(f"form[action='/behandeling/{report.pk}/ontvangst/']")
    assert report.reference in acknowledge.locator("textarea[name=text]").input_value()
    acknowledge.locator("textarea[name=text]").fill(ACKNOWLEDGEMENT)
    acknowledge.locator("button[type=submit]").click()
    coordinator.wait_for_selector(".int-messages .utrecht-alert--ok")
    assert coordinator.locator(f"form[action='/behandeling/{report.pk}/ontvangst/']").count() == 0
    report.refresh_from_db()
    assert report.acknowledged_at is not None

    coordinator.goto(f"/behandeling/{report.pk}/?section=mailbox")  # the case page's mailbox
    ask = coordinator.locator(f"form[action='/behandeling/{report.pk}/bericht/']")
    ask.locator("textarea[name=text]").fill(QUESTION)
    ask.locator("button[type=submit]").click()
    coordinator.wait_for_selector(f"article.int-message:has-text('{QUESTION}')")
    assert_no_axe_violations(coordinator)

    reporter = new_page()
    open_mailbox(reporter, code)
    thread = reporter.locator("article.int-message")
    assert thread.filter(has_text=ACKNOWLEDGEMENT).count() == 1
    assert thread.filter(has_text=QUESTION).count() == 1
    # The reporter never learns who handles the report.
    assert demo["coordinator"].first_name not in reporter.locator("main").inner_text()
    assert_no_axe_violations(reporter)


def test_named_manager_finds_nothing(demo, reported, page):
    report, _code = reported
    attachment = report.attachments.get()
    log_in_staff(page, demo["manager"])

    assert report.reference not in page.content()
    assert page.locator(f"a[href*='{report.pk}']").count() == 0
    assert_no_axe_violations(page)

    # Guessing the addresses gives "not found", never "forbidden".
    for path in (
        f"/behandeling/{report.pk}/",
        f"/behandeling/{report.pk}/bijlage/{attachment.pk}/",
        f"/postbus/bijlage/{attachment.pk}/",
    ):
        response = page.goto(path)
        assert response.status == 404, path
        assert "declaraties" not in page.content()
        assert report.reference not in page.content()


def test_registering_a_report_page(demo, page):
    log_in_staff(page, demo["coordinator"])
    page.click("a[href='/behandeling/registreren/']")
    page.wait_for_url(re.compile(r"/behandeling/registreren/"))
    assert page.locator("input[name=received_on]").count() == 1
    assert_no_axe_violations(page)


def test_enrolling_a_second_factor(demo, page):
    adviser = demo["adviser"]
    TOTPDevice.objects.filter(user=adviser).delete()

    page.goto("/account/inloggen/")
    page.fill("input[name=username]", adviser.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/tweede-factor/instellen/$"))
    assert page.locator("#totp-secret").inner_text().strip()
    assert page.locator(".int-qr svg").count() == 1
    assert_no_axe_violations(page)

    device = TOTPDevice.objects.get(user=adviser, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=token]", f"{code:06d}")
    page.click("form.utrecht-form button[type=submit]")
    # The adviser lands on her conversation log (ui.landing), with the confirmation.
    page.wait_for_url(re.compile(r"/vertrouwenspersonen/logboek/$"))
    assert page.locator(".int-messages .utrecht-alert--ok").count() == 1
    assert TOTPDevice.objects.filter(user=adviser, confirmed=True).exists()
