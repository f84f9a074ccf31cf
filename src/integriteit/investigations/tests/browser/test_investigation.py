"""A complete investigation after the BIPO baseline in a real browser (issue 4): the competent
authority commissions it on the case page and gives the written assignment; the investigator
works through every step of the protocol on the investigation page; the subject approves the
record of their interview and responds to the draft report in "My investigations"; a witness
comments on their own record; the competent authority decides; the investigator closes. Every
person works in their own browser context and logs in with password and second factor.

Only the setup (a case brought to the phase "Investigation", the subject recorded and informed on
the case) uses the services; the investigation itself is done on screen. Elements are found by
name, id, value and form action; texts the system writes are compared with their Dutch
translation, texts the people write as typed.
"""

import datetime
import io
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from integriteit.browser_testing import assert_no_axe_violations, log_in_staff
from integriteit.cases import services as case_services
from integriteit.cases.constants import SubjectInformedHow
from integriteit.cases.tests.flow import Flow
from integriteit.crypto.references import tag_for
from integriteit.investigations import services
from integriteit.investigations.baseline import BASELINE_STEPS
from integriteit.investigations.constants import IntervieweeRole, ReportVersionKind
from integriteit.investigations.models import Interview, Investigation, ReportVersion
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.browser

SUBJECT_RECORD = "De medewerker verklaart dat de bonnen door een collega zijn aangepast."
WITNESS_RECORD = "De procesbegeleider zag de aangepaste bonnen op het bureau liggen."
WITNESS_COMMENT = "Ik zag de bonnen op dinsdag, niet op maandag."
RESPONSE = "Ik betwist de conclusie over de tweede factuur; die was vooraf goedgekeurd."
LABELS = {(s["code"], f["code"]): f["label"] for s in BASELINE_STEPS for f in s["required_fields"]}


def nl(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def baseline_protocol(transactional_db):
    """The baseline protocol comes from a data migration; the flush after an earlier
    transactional test (another app's browser test) removes it, so it is put back."""
    migration = import_module("integriteit.investigations.migrations.0002_baseline_protocol")
    migration.add_baseline(apps, None)


# --- The people's pages --------------------------------------------------------------------------


class Screen:
    """One person's page: forms are found by their action (which may end in an anchor)."""

    def __init__(self, page):
        self.page = page

    def form(self, action: str):
        return self.page.locator(f"form[action='{action}'], form[action^='{action}#']")

    def submit(self, action: str, *, ok: bool = True) -> None:
        form = self.form(action)
        assert form.count() == 1, f"no single form for {action} on {self.page.url}"
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        alerts = self.page.locator(".int-messages")
        if ok:
            errors = self.page.locator(".utrecht-alert--error")
            assert errors.count() == 0, errors.all_inner_texts()
            assert alerts.locator(".utrecht-alert--ok").count() == 1, alerts.all_inner_texts()
        else:
            assert alerts.locator(".utrecht-alert--error").count() == 1, alerts.all_inner_texts()

    def text(self, selector: str = "main") -> str:
        return squeeze(self.page.locator(selector).inner_text())


class InvestigationPage(Screen):
    def __init__(self, page, investigation_id: int):
        super().__init__(page)
        self.pk = investigation_id
        self.url = f"/onderzoek/{investigation_id}/"

    def open(self) -> "InvestigationPage":
        self.page.goto(self.url)
        return self

    def state(self, code: str) -> str | None:
        return self.page.locator(f"li[data-step={code}]").get_attribute("data-state")

    def record(self, code: str, **values: str) -> None:
        form = self.form(f"{self.url}stap/{code}/gegevens/")
        for name, value in values.items():
            form.locator(f"textarea[name='values-{code}-{name}']").fill(value)
        self.submit(f"{self.url}stap/{code}/gegevens/")

    def complete(self, code: str, *, ok: bool = True) -> None:
        self.submit(f"{self.url}stap/{code}/afronden/", ok=ok)
        if ok:
            assert self.state(code) == "completed", (code, self.state(code))

    def take(self, code: str, **values: str) -> None:
        """Record what the step requires, then complete it."""
        assert self.state(code) == "open", (code, self.state(code))
        if values:
            self.record(code, **values)
        self.complete(code)


def log_in(new_page, user):
    page = new_page()
    log_in_staff(page, user, check_axe=False)  # the login pages are checked in reports/
    return page


def planned(hour: int) -> str:
    return f"{timezone.localdate().isoformat()}T{hour:02d}:00"


# --- The test ------------------------------------------------------------------------------------


def test_complete_investigation_with_subject_witness_and_authority(
    demo, baseline_protocol, new_page
):
    # Setup with the services: a case in the phase "Investigation", its subject recorded and
    # informed on the case (the investigation itself is done in the browser).
    flow = Flow(demo).to(Phase.INVESTIGATION)
    report = flow.report
    employee, guide, investigator = demo["employee"], demo["guide"], demo["investigator"]
    subject = case_services.record_subject(flow.coordinator, report, person=employee)
    case_services.record_subject_informed(
        flow.coordinator,
        subject,
        informed_at=timezone.now() - datetime.timedelta(hours=1),
        how=SubjectInformedHow.IN_PERSON,
        note="In een gesprek.",
    )
    case_url = f"/behandeling/{report.pk}/"

    # The competent authority commissions the investigation on the case page.
    authority = Screen(log_in(new_page, demo["authority"]))
    authority.page.goto(case_url)
    commission = authority.page.locator("form#commission")
    commission.locator(f"input[name='commission-investigators'][value='{investigator.pk}']").check()
    commission.locator("input[name='commission-deadline']").fill(
        (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    )
    commission.locator("textarea[name='commission-note']").fill(
        "Vermoeden van het vervalsen van bonnen bij inkoop."
    )
    authority.submit(f"/behandeling/{report.pk}/onderzoek-opdracht/")
    authority.page.wait_for_url(re.compile(r"/onderzoek/\d+/(#.*)?$"))
    investigation = Investigation.objects.get(report=report)
    assert investigation.protocol.is_baseline
    authority = InvestigationPage(authority.page, investigation.pk)
    assert authority.state("preliminary_inquiry") == "open"
    assert authority.state("assignment") == "locked"
    assert authority.form(f"{authority.url}stap/preliminary_inquiry/afronden/").count() == 0

    # The investigator finds it on the case page, where the phase cannot end yet.
    inv = InvestigationPage(log_in(new_page, investigator), investigation.pk)
    inv.page.goto(case_url)
    assert nl("Complete every step of the investigation protocol first.") in inv.text()
    inv.page.locator(f"section[aria-labelledby=investigations] a[href='{inv.url}']").click()
    inv.page.wait_for_url(re.compile(rf"{inv.url}$"))
    assert_no_axe_violations(inv.page)  # state 1: the first step open, nothing recorded

    # Too early: the step refuses completion and the page says what is missing.
    facts = nl(LABELS[("preliminary_inquiry", "facts")])  # baseline labels are translated
    admissibility = nl(LABELS[("preliminary_inquiry", "admissibility")])
    inv.complete("preliminary_inquiry", ok=False)
    refusal = inv.text(".int-messages")
    for label in (facts, admissibility):
        assert nl("Record: %(label)s.", label=label) in refusal
        assert nl("Record: %(label)s.", label=label) in inv.text("#gaps-preliminary_inquiry")
    assert inv.state("preliminary_inquiry") == "open"
    assert inv.form(f"{inv.url}stap/plan/afronden/").count() == 0  # later steps are locked
    assert inv.form(f"{inv.url}stap/assignment/afronden/").count() == 0  # not the investigator's

    inv.take(
        "preliminary_inquiry",
        facts="Twee facturen zijn na ontvangst gewijzigd.",
        admissibility="Redelijk vermoeden; een persoonsgericht onderzoek is proportioneel.",
    )
    assert inv.state("assignment") == "open"

    # The competent authority gives the written assignment.
    authority.open().take(
        "assignment",
        scope="Inkoop 2026, de facturen van één leverancier.",
        questions="Zijn facturen aangepast? Zo ja, door wie?",
    )

    # The investigator: plan, informing the subject, interviews.
    inv.open().take("plan", approach="Dossieronderzoek en gesprekken.", planning="Zes weken.")
    inv.take(
        "inform_subject",
        informed_how="Persoonlijk, in een gesprek met de leidinggevende.",
        rights="Protocol overhandigd; recht op een raadsman en op wederhoor toegelicht.",
    )
    subject_plan = inv.page.locator("form#plan-subject")
    subject_plan.locator("select[name='plan-subject-subject']").select_option(value=str(subject.pk))
    subject_plan.locator("input[name='plan-subject-planned_at']").fill(planned(9))
    inv.submit(f"{inv.url}gesprek/subject/")
    witness_plan = inv.page.locator("form#plan-witness")
    witness_plan.locator("select[name='plan-witness-interviewee']").select_option(
        value=str(guide.pk)
    )
    witness_plan.locator("input[name='plan-witness-planned_at']").fill(planned(11))
    inv.submit(f"{inv.url}gesprek/witness/")
    interviews = Interview.objects.filter(investigation=investigation)
    subject_interview = interviews.get(
        interviewee_tag=tag_for(Interview, "interviewee", employee.pk)
    )
    witness_interview = interviews.get(interviewee_tag=tag_for(Interview, "interviewee", guide.pk))
    assert subject_interview.role == IntervieweeRole.SUBJECT
    assert witness_interview.role == IntervieweeRole.WITNESS
    for interview, text, adviser in (
        (subject_interview, SUBJECT_RECORD, "Mr. De Vries, advocaat"),
        (witness_interview, WITNESS_RECORD, ""),
    ):
        action = f"{inv.url}gesprek/{interview.pk}/verslag/"
        inv.form(action).locator(f"textarea[name='record-{interview.pk}-text']").fill(text)
        inv.form(action).locator(f"input[name='record-{interview.pk}-adviser']").fill(adviser)
        inv.submit(action)
    assert nl(
        "Wait for the interviewee's approval or comments, or for the term to pass."
    ) in inv.text("#gaps-interviews")
    assert_no_axe_violations(inv.page)  # state 2: interviews recorded, waiting for approval

    # The subject: the invitation with the rights, their own record only; approves it.
    employee_page = log_in(new_page, employee)
    employee_screen = Screen(employee_page)
    assert employee_page.goto(case_url).status == 404  # never the case itself
    employee_page.goto("/mijn-onderzoek/")
    with translation.override("nl"):
        invitation = services.default_invitation(IntervieweeRole.SUBJECT)
    portal = employee_screen.text()
    assert nl("This investigation is about you (you are the subject).") in portal
    assert squeeze(invitation) in portal
    assert nl("You may bring an adviser or counsel of your choice to every interview.") in portal
    assert SUBJECT_RECORD in portal
    assert WITNESS_RECORD not in portal
    assert "bonnen vervalst" not in portal  # the reporter's description is not shown
    assert_no_axe_violations(employee_page)
    employee_screen.submit(f"/mijn-onderzoek/gesprek/{subject_interview.pk}/goedkeuren/")
    assert (
        employee_screen.form(f"/mijn-onderzoek/gesprek/{subject_interview.pk}/goedkeuren/").count()
        == 0
    )

    # The witness sees only their own record, and comments on it.
    guide_page = log_in(new_page, guide)
    guide_screen = Screen(guide_page)
    guide_page.goto("/mijn-onderzoek/")
    portal = guide_screen.text()
    assert nl("You are asked to cooperate as a witness.") in portal
    assert WITNESS_RECORD in portal
    assert SUBJECT_RECORD not in portal
    action = f"/mijn-onderzoek/gesprek/{witness_interview.pk}/opmerkingen/"
    guide_screen.form(action).locator(
        f"textarea[name='record-{witness_interview.pk}-comment']"
    ).fill(WITNESS_COMMENT)
    guide_screen.submit(action)
    assert WITNESS_COMMENT in guide_screen.text()
    assert guide_page.goto(inv.url).status == 404  # not the investigation file

    # The investigator: interviews, evidence, the draft report offered to the subject.
    inv.open()
    interviews_table = inv.text("#interviews ~ .utrecht-table-container")
    assert WITNESS_COMMENT in interviews_table
    inv.complete("interviews")
    inv.take("evidence", evidence_log="1. Facturen uit het inkoopsysteem (export, 3 maart).")
    inv.record("draft_report", findings="Vraag 1: ja. Vraag 2: de medewerker.")
    inv.submit(f"{inv.url}rapport/draft/")
    inv.complete("draft_report")
    inv.submit(f"{inv.url}concept-aanbieden/")
    draft = ReportVersion.objects.get(investigation=investigation, kind=ReportVersionKind.DRAFT)
    assert draft.offered_to_subject_at is not None

    # The subject responds to the draft in the portal.
    employee_page.goto("/mijn-onderzoek/")
    action = f"/mijn-onderzoek/rapport/{draft.pk}/reactie/"
    employee_screen.form(action).locator(f"textarea[name='draft-{draft.pk}-response']").fill(
        RESPONSE
    )
    employee_screen.submit(action)
    assert RESPONSE in employee_screen.text()
    assert employee_screen.form(action).count() == 0  # once

    # The investigator: the response, the final report with the advice.
    inv.open()
    assert RESPONSE in inv.text("#reports ~ ul")
    inv.complete("subject_response")
    inv.submit(f"{inv.url}rapport/final/")
    inv.take("final_report", advice="Een schriftelijke berisping ligt in de rede.")
    final = ReportVersion.objects.get(investigation=investigation, kind=ReportVersionKind.FINAL)
    with inv.page.expect_download() as info:
        inv.page.locator(
            f"li[data-version='{final.pk}'] a[href='{inv.url}rapport/{final.pk}/pdf/']"
        ).click()
    pdf = PdfReader(io.BytesIO(info.value.path().read_bytes()))
    pdf_text = squeeze(" ".join(p.extract_text() or "" for p in pdf.pages))
    assert squeeze(RESPONSE) in pdf_text, pdf_text[-2000:]

    # The competent authority decides; the investigator closes.
    authority.open().take("decision", decision="Het eindrapport wordt gevolgd.")
    inv.open().take("closing", informed="De beklagde en de melder, per brief op dezelfde dag.")
    investigation.refresh_from_db()
    assert investigation.completed_at is not None
    states = inv.page.locator("ol.int-steps > li").evaluate_all(
        "items => items.map(i => i.dataset.state)"
    )
    assert states == ["completed"] * len(BASELINE_STEPS)

    # The subject now also finds the final report.
    employee_page.goto("/mijn-onderzoek/")
    assert employee_page.locator(f"a[href='{inv.url}rapport/{final.pk}/pdf/']").count() == 1

    # The case page: the investigation completed, the phase can end once the outcome is recorded.
    case = Screen(inv.page)
    inv.page.goto(case_url)
    panel = case.text("section[aria-labelledby=investigations]")
    assert nl("Completed") in panel
    assert nl("Complete every step of the investigation protocol first.") not in case.text()
    case.form(f"{case_url}uitkomst/").locator("textarea[name='outcome-outcome']").fill(
        "Vermoeden bevestigd; zie het eindrapport."
    )
    case.submit(f"{case_url}uitkomst/")
    assert_no_axe_violations(inv.page)
    # Irreversible: the step asks "I understand this cannot be undone" (issue 10, case page).
    case.form(f"{case_url}stap/complete_investigation/").locator("input[name=confirm]").check()
    case.submit(f"{case_url}stap/complete_investigation/")
    assert Report.objects.get(pk=report.pk).phase == Phase.DECISION
