"""A confidential adviser at work in a real browser (issue 5 "It must show"): she logs three
conversations (one referral, one note with an e-mail address that needs "save anyway"),
registers an anonymous report on an employee's behalf from one entry, and produces, completes
and sends the annual report for BZK; the coordinator then finds the report in the work queue,
marked "via a confidential adviser" and without identity.

The site is in Dutch: elements are found by name, value and URL; texts the system writes are
compared with their Dutch translation (gettext).
"""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from integriteit.advisers.models import AnnualReport, ConfidentialAdviser
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Channel
from integriteit.reports.models import Report

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser

NOTES_WITH_EMAIL = "Wil eventueel gebeld worden via piet@example.org over de inkoop."
RECOMMENDATION = "Geef leidinggevenden een training over omgangsvormen."


def nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def log_conversation(page, bzk, theme, *, referral=None, notes="", confirm=False):
    page.goto("/vertrouwenspersonen/logboek/nieuw/")
    page.select_option("select[name=theme]", value=theme)
    page.select_option("select[name=organisation]", value=str(bzk.pk))
    if referral:
        page.check(f"input[name=referrals][value={referral}]")
    if notes:
        page.fill("textarea[name=notes]", notes)
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    if confirm:
        # The notes look like they identify someone: the form comes back with a warning.
        assert page.url.endswith("/vertrouwenspersonen/logboek/nieuw/")
        warning = page.locator("#name-warnings")
        assert nl("The text looks like it contains an e-mail address.") in warning.inner_text()
        assert_no_axe_violations(page)
        page.check("input[name=save_anyway]")
        with page.expect_navigation():
            page.click("form.utrecht-form button[type=submit]")
    assert page.url.endswith("/vertrouwenspersonen/logboek/"), (
        page.url,
        page.locator(
            ".utrecht-form-field-error-message, .utrecht-alert, [id$=errors]"
        ).all_inner_texts(),
    )
    assert page.locator(".int-messages .utrecht-alert--ok").count() == 1


def test_adviser_logs_registers_on_behalf_and_produces_the_annual_report(demo, new_page):
    adviser = demo["adviser"]
    register_entry = ConfidentialAdviser.objects.get(user=adviser)  # from the demo data
    bzk = Organisation.objects.get(slug="bzk")
    year = timezone.localdate().year

    page = new_page()
    log_in_staff(page, adviser, check_axe=False)  # the login pages are checked in reports/

    # Three conversations with different themes.
    log_conversation(page, bzk, "bullying", referral="raba")
    log_conversation(page, bzk, "financial")
    log_conversation(page, bzk, "labour_conflict", notes=NOTES_WITH_EMAIL, confirm=True)
    rows = page.locator("table.utrecht-table tbody tr")
    assert rows.count() == 3
    assert_no_axe_violations(page)
    entries = {entry.theme: entry for entry in register_entry.log.all()}
    assert set(entries) == {"bullying", "financial", "labour_conflict"}
    assert entries["bullying"].referrals == ["raba"]
    financial = entries["financial"]
    assert not financial.report_followed

    # From the financial entry: a report on the employee's behalf, anonymous.
    page.click(f"a[href='/vertrouwenspersonen/logboek/{financial.pk}/melding/']")
    page.wait_for_url(re.compile(rf"/logboek/{financial.pk}/melding/$"))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/behandeling/registreren/\?"))
    assert page.is_checked(f"input[name=channel][value={Channel.CONFIDENTIAL_ADVISER}]")
    assert page.is_checked("input[name=anonymous][value='1']")
    # The date input shows the localised initial date as empty (reports/forms.py): fill it in.
    page.fill("input[name=received_on]", timezone.localdate().isoformat())
    page.check("input[name=form][value=written]")
    page.check("input[name=kind][value=integrity_violation]")
    page.check("input[name=violation_types][value=financial]")
    page.fill("textarea[name=description]", "Bij inkoop worden offertes achteraf aangepast.")
    page.fill("input[name=occurred_when]", "voorjaar")
    page.check("input[name=relation][value=employee]")
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")
    assert page.url.endswith("/behandeling/geregistreerd/"), (
        page.locator(".utrecht-form-field-error-message, [id$=errors]").all_inner_texts(),
    )
    assert page.locator("#receipt-code").inner_text().strip()
    assert page.locator("#via-adviser").count() == 1
    report = Report.objects.get()
    assert report.channel == Channel.CONFIDENTIAL_ADVISER
    assert report.is_anonymous
    financial.refresh_from_db()
    assert financial.report_followed
    page.goto("/vertrouwenspersonen/logboek/?theme=financial")
    row = page.locator("table.utrecht-table tbody tr")
    assert row.count() == 1
    assert nl("Yes") in row.locator("td").nth(5).inner_text()

    # The annual report for BZK, this year: figures, a recommendation, sent.
    page.goto("/vertrouwenspersonen/jaarverslag/")
    page.select_option("main form select[name=organisation]", value=str(bzk.pk))
    page.fill("main form input[name=year]", str(year))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    annual = AnnualReport.objects.get(organisation=bzk, year=year)
    page.wait_for_url(re.compile(rf"/vertrouwenspersonen/jaarverslag/{annual.pk}/$"))
    figures = page.locator("table.int-figures").first
    assert "<5" in figures.inner_text()
    recommend = page.locator(
        f"form[action='/vertrouwenspersonen/jaarverslag/{annual.pk}/aanbeveling/']"
    )
    recommend.locator("textarea[name=text]").fill(RECOMMENDATION)
    with page.expect_navigation():
        recommend.locator("button[type=submit]").click()
    assert page.locator(".int-recommendation", has_text=RECOMMENDATION).count() == 1
    with page.expect_navigation():
        page.click(f"form[action='/vertrouwenspersonen/jaarverslag/{annual.pk}/versturen/'] button")
    assert page.locator(".int-messages .utrecht-alert--ok").count() == 1
    annual.refresh_from_db()
    assert annual.sent_to_authority_at is not None
    assert_no_axe_violations(page)

    # The coordinator finds the report; the case shows the channel, not who the employee is.
    coordinator = new_page()
    log_in_staff(coordinator, demo["coordinator"], check_axe=False)
    coordinator.locator(f"a[href='/behandeling/{report.pk}/']").first.click()
    coordinator.wait_for_url(re.compile(rf"/behandeling/{report.pk}/$"))
    main = coordinator.locator("main").inner_text()
    assert nl("Via a confidential adviser") in main
    assert nl("Anonymous (contact through the mailbox)") in main
    assert "piet@example.org" not in coordinator.content()
