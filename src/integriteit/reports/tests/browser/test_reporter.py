"""The reporter's path in a real browser: report (named and anonymous), receipt code, mailbox."""

import io
import re

import pytest
from django.db import OperationalError
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from PIL import Image

from integriteit.reports import services
from integriteit.reports.models import Report

from .conftest import assert_checked_looks_checked, assert_no_axe_violations

pytestmark = pytest.mark.browser

RECEIPT_CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4})+$")


def tiny_png(path):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (21, 66, 115)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def fill_report(page, description, *, violation_type="financial"):
    page.check("input[name=kind][value=integrity_violation]")
    page.check(f"input[name=violation_types][value={violation_type}]")
    page.fill("textarea[name=description]", description)
    page.fill("input[name=occurred_when]", "voorjaar 2026")
    page.check("input[name=relation][value=employee]")


def test_named_report(demo, page):
    page.goto("/melden/")
    page.select_option(
        "select[name=organisation]", label=demo["coordinator"].unit.organisation.name
    )
    page.click("form[action='/melden/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/bzk/$"))

    fill_report(page, "Facturen van leverancier X worden twee keer betaald.")
    page.check("input[name=anonymous][value='0']")
    page.fill("input[name=name]", "Sara Melder")
    page.fill("input[name=email]", "sara@example.org")
    page.click("form.utrecht-form button[type=submit]")

    page.wait_for_url(re.compile(r"/melden/controleren/$"))
    assert_no_axe_violations(page)
    summary = page.locator("dl.int-summary").inner_text()
    assert "Facturen van leverancier X worden twee keer betaald." in summary
    assert "Sara Melder, sara@example.org" in summary
    assert "voorjaar 2026" in summary
    receivers = page.locator(".utrecht-alert--info").inner_text()
    assert "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties" in receivers

    page.click("form[action='/melden/versturen/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/ontvangen/$"))
    assert_no_axe_violations(page)
    code = page.locator("#receipt-code").inner_text().strip()
    assert RECEIPT_CODE.match(code), code
    report = Report.objects.submitted().get()
    assert report.reference in page.locator("main").inner_text()
    assert not report.is_anonymous

    # A reload shows the same code (ADR 0005) until she says she has written it down.
    page.reload()
    assert page.locator("#receipt-code").inner_text().strip() == code
    page.click("#written-down")
    page.wait_for_url(re.compile(r"/postbus/$"))
    assert_no_axe_violations(page)
    page.goto("/melden/ontvangen/")
    assert page.locator("#receipt-code").count() == 0
    assert code not in page.content()


def test_anonymous_report_with_file_and_mailbox(demo, new_page, tmp_path):
    manager = demo["manager"]
    reporter = new_page()
    reporter.goto("/melden/bzk/")
    fill_report(reporter, "Mijn leidinggevende laat declaraties dubbel uitbetalen.")
    # The reporter types the name; the page never lists staff (issue 10 defect 5).
    assert manager.get_full_name() not in reporter.content()
    reporter.fill("textarea[name=involved_names]", manager.get_full_name().upper())
    assert reporter.is_checked("input[name=anonymous][value='1']")
    reporter.set_input_files("input[name=attachments]", str(tiny_png(tmp_path / "bon.png")))
    reporter.click("form.utrecht-form button[type=submit]")

    reporter.wait_for_url(re.compile(r"/melden/controleren/$"))
    summary = reporter.locator("dl.int-summary").inner_text()
    assert "MARK LEIDINGGEVENDE" in summary
    assert reporter.locator("#involved-names [data-recognised=yes]").count() == 1
    assert "bon.png" in summary
    reporter.click("form[action='/melden/versturen/'] button[type=submit]")
    reporter.wait_for_url(re.compile(r"/melden/ontvangen/$"))
    code = reporter.locator("#receipt-code").inner_text().strip()
    assert RECEIPT_CODE.match(code), code
    report = Report.objects.submitted().get()
    assert report.is_anonymous
    reporter.context.close()

    # Later, on another device: only the receipt code opens the mailbox.
    mailbox = new_page()
    mailbox.goto("/postbus/")
    mailbox.fill("input[name=code]", code.lower())
    mailbox.click("form.utrecht-form button[type=submit]")
    mailbox.wait_for_url(re.compile(r"/postbus/berichten/$"))
    assert_no_axe_violations(mailbox)
    assert report.reference in mailbox.locator("h1").inner_text()
    facts = mailbox.locator("dl.int-summary").inner_text()
    with translation.override("nl"):
        assert str(report.get_phase_display()) in facts
        for due in (report.acknowledgement_due, report.feedback_due):
            assert date_format(timezone.localtime(due), "j F Y") in facts
    assert mailbox.locator("dl.int-summary .int-deadline").count() == 2
    assert "bon.png" in mailbox.locator("main").inner_text()

    extra = tmp_path / "aanvulling.txt"
    extra.write_text("Het ging om drie declaraties in mei.\n")
    mailbox.fill("textarea[name=text]", "Ik heb nog een overzicht gevonden.")
    mailbox.set_input_files("input[name=attachments]", str(extra))
    mailbox.click("form.utrecht-form button[type=submit]")
    mailbox.wait_for_url(re.compile(r"/postbus/berichten/$"))
    message = mailbox.locator("article.int-message").filter(
        has_text="Ik heb nog een overzicht gevonden."
    )
    assert message.count() == 1
    assert message.get_by_role("link", name="aanvulling.txt").count() == 1
    assert_no_axe_violations(mailbox)


def test_outage_on_send_then_send_again(demo, page, monkeypatch):
    """The database is away when she presses Send: a clear, accessible page in her language;
    back, Send again once it is up: one report and her code (ADR 0007)."""
    submit = services.submit_draft

    def unreachable(*args, **kwargs):
        raise OperationalError("connection failed: Connection refused")

    page.goto("/melden/bzk/")
    fill_report(page, "Er verdwijnen laptops uit het magazijn.")
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/controleren/$"))
    monkeypatch.setattr(services, "submit_draft", unreachable)
    page.click("form[action='/melden/versturen/'] button[type=submit]")
    page.wait_for_selector("#outage-advice")
    with translation.override("nl"):
        assert translation.gettext("Temporarily unavailable") in page.locator("h1").inner_text()
    assert_no_axe_violations(page)
    assert not Report.objects.submitted().exists()

    monkeypatch.setattr(services, "submit_draft", submit)
    page.go_back()
    page.wait_for_url(re.compile(r"/melden/controleren/$"))
    page.click("form[action='/melden/versturen/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/ontvangen/$"))
    assert RECEIPT_CODE.match(page.locator("#receipt-code").inner_text().strip())
    assert Report.objects.count() == 1 and Report.objects.submitted().count() == 1


def test_a_chosen_radio_button_looks_chosen(demo, page):
    """Issue 10 defect 1 (WCAG 1.4.11): a reporter sees whether she chose to stay anonymous."""
    page.goto("/melden/bzk/")
    anonymous, named = "input[name=anonymous][value='1']", "input[name=anonymous][value='0']"
    first = assert_checked_looks_checked(page, anonymous, named)
    second = assert_checked_looks_checked(page, named, anonymous)
    assert first == second


def test_a_ticked_checkbox_looks_ticked(demo, page):
    """Issue 10 (WCAG 1.4.11): she sees which kinds of violation she ticked, and that unticking
    one takes the tick away."""
    page.goto("/melden/bzk/")
    financial = "input[name=violation_types][value=financial]"
    other = "input[name=violation_types]:not([value=financial])"
    first = assert_checked_looks_checked(page, financial, other)
    # Unticked again (and another one ticked), it looks like the others did.
    second = assert_checked_looks_checked(page, other, financial)
    assert first == second
