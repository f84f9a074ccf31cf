"""The full path of a report in a real browser, from submission to evaluation and closure: one
named report (conversation or mediation) and one anonymous report (investigation, decision and a
measure). Every role works in its own browser context and logs in through the login page and
the second factor; the reporter only has the receipt code.

The site is in Dutch: elements are found by name, id, value and form action; texts the system
writes are compared with their Dutch translation (gettext), texts the people write as typed.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from integriteit.browser_testing import assert_no_axe_violations, log_in_staff, open_mailbox
from integriteit.cases.constants import ConflictCheckItem
from integriteit.cases.models import MeasureType, Subject
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.browser

ACKNOWLEDGEMENT = "Wij hebben uw melding ontvangen en gaan ermee aan de slag."
INTERIM = "Wij voeren gesprekken; u hoort binnenkort meer."
FINAL = "Het gesprek heeft plaatsgevonden en er zijn afspraken gemaakt."
INVITATION = "Wilt u ons laten weten hoe u het proces heeft ervaren?"


def nl(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


# --- The reporter ------------------------------------------------------------------------------


def submit_report(page, description: str, *, name: str = "", email: str = "") -> tuple[Report, str]:
    """Fill in the reporting form of BZK, check the summary, send; returns the report and code."""
    page.goto("/melden/bzk/")
    page.check("input[name=kind][value=integrity_violation]")
    page.check("input[name=violation_types][value=financial]")
    page.check("input[name=violation_types][value=position]")
    page.fill("textarea[name=description]", description)
    page.fill("input[name=occurred_when]", "voorjaar 2026")
    page.check("input[name=relation][value=employee]")
    if name:
        page.check("input[name=anonymous][value='0']")
        page.fill("input[name=name]", name)
        page.fill("input[name=email]", email)
    else:
        assert page.is_checked("input[name=anonymous][value='1']")
    page.click("form.utrecht-form button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/controleren/$"))
    page.click("form[action='/melden/versturen/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/melden/ontvangen/$"))
    code = page.locator("#receipt-code").inner_text().strip()
    report = Report.objects.submitted().get()
    assert report.is_anonymous == (not name)
    page.context.close()  # the reporter leaves; later only the receipt code opens the mailbox
    return report, code


def answer_evaluation(page, code: str, expected_messages: list[str]) -> None:
    """The reporter reads the messages in the mailbox and answers the evaluation."""
    open_mailbox(page, code)
    thread = page.locator("article.int-message")
    for text in expected_messages:
        assert thread.filter(has_text=text).count() == 1, text
    evaluation = page.locator("section[aria-labelledby=evaluation-heading]")
    assert evaluation.locator("form[action='/postbus/evaluatie/']").count() == 1
    assert_no_axe_violations(page)
    for question, score in (("felt_safe", 4), ("kept_informed", 5), ("taken_seriously", 4)):
        evaluation.locator(f"input[name={question}][value='{score}']").check()
    evaluation.locator("input[name=would_report_again][value=yes]").check()
    evaluation.locator("textarea[name=comment]").fill("Ik voelde me gehoord.")
    with page.expect_navigation():
        evaluation.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/postbus/berichten/$"))
    assert page.locator(".int-messages .utrecht-alert--ok").count() == 1
    thanks = page.locator("section[aria-labelledby=evaluation-heading]")
    assert thanks.locator("form").count() == 0
    with translation.override("nl"):
        today = date_format(timezone.localdate(), "j F Y")
    assert (
        nl(
            "Thank you. You answered the evaluation on %(date)s. Your answers help us improve "
            "how reports are handled.",
            date=today,
        )
        in thanks.inner_text()
    )


# --- Staff on the case page --------------------------------------------------------------------


class CasePage:
    """One person's view of one case: open it, fill in its forms, take its steps."""

    def __init__(self, page, report: Report):
        self.page = page
        self.pk = report.pk
        self.url = f"/behandeling/{report.pk}/"

    def open(self, section: str | None = None) -> "CasePage":
        """The case page, at the section of the case's phase or at `section`."""
        self.page.goto(f"{self.url}?section={section}" if section else self.url)
        return self

    def go(self, section: str) -> "CasePage":
        """Open another section of the page, as its link in the section nav does."""
        if self.page.locator(f"[data-section={section}]").count() == 0:
            with self.page.expect_navigation():
                self.page.locator(f"nav.int-case-nav a[href^='?section={section}#']").click()
        return self

    def form(self, tail: str):
        """The form posting to the case URL + `tail` (its action may end in an anchor)."""
        action = f"{self.url}{tail}"
        return self.page.locator(f"form[action='{action}'], form[action^='{action}#']")

    def submit(self, tail: str, *, ok: bool = True, has: str | None = None):
        """Send the form (the one holding `has`, if given); after success the case page reloads
        with a success message, after a refusal it shows an error message."""
        form = self.form(tail)
        if has is not None:
            form = form.filter(has=self.page.locator(has))
        assert form.count() == 1, f"no single form for {tail} on {self.page.url}"
        confirm = form.locator("input[name=confirm]")
        if confirm.count():  # an irreversible step: "I understand this cannot be undone"
            confirm.check()
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        alerts = self.page.locator(".int-messages")
        if ok:
            errors = self.page.locator(".utrecht-alert--error")
            assert errors.count() == 0, errors.all_inner_texts()
            assert alerts.locator(".utrecht-alert--ok").count() == 1, alerts.all_inner_texts()
        else:
            assert alerts.locator(".utrecht-alert--error").count() == 1, alerts.all_inner_texts()

    def step(self, name: str) -> None:
        self.submit(f"stap/{name}/")

    def phase(self) -> str:
        return Report.objects.get(pk=self.pk).phase

    def shows_phase(self, phase: str) -> None:
        with translation.override("nl"):
            label = str(Phase(phase).label)
        heading = self.page.locator("#phase-heading").inner_text()
        assert label in heading, (label, heading)
        assert self.phase() == phase

    def assign(self, role: str, user) -> None:
        self.go("people").form(f"toewijzen/{role}/").locator(
            f"select[name='assign-{role}-person']"
        ).select_option(value=str(user.pk))
        self.submit(f"toewijzen/{role}/")

    def acknowledge(self, text: str) -> None:
        self.go("overview").form("ontvangst/").locator("textarea[name=text]").fill(text)
        self.submit("ontvangst/")

    def assess(self) -> None:
        form = self.go("overview").form("beoordeling/")
        form.locator("input[name='assessment-in_scope'][value=yes]").check()
        form.locator("input[name='assessment-urgency'][value=normal]").check()
        form.locator("input[name='assessment-kind'][value=integrity_violation]").check()
        for code in ("financial", "position"):
            checkbox = form.locator(f"input[name='assessment-violation_types'][value={code}]")
            if not checkbox.is_checked():
                checkbox.check()
        form.locator("textarea[name='assessment-notes']").fill("Binnen de reikwijdte.")
        self.submit("beoordeling/")

    def check_conflicts(self) -> None:
        self.go("overview")
        for item in ConflictCheckItem:
            self.submit("belangencheck/", has=f"input[name='check-item'][value={item.value}]")
        assert self.form("belangencheck/").count() == 0

    def decide_follow_up(self, route: str, reason: str) -> None:
        form = self.go("investigation").form("vervolg/")
        form.locator(f"input[name='follow-up-route'][value={route}]").check()
        form.locator("textarea[name='follow-up-reason']").fill(reason)
        self.submit("vervolg/")

    def record_outcome(self, text: str) -> None:
        self.go("investigation").form("uitkomst/").locator("textarea[name='outcome-outcome']").fill(
            text
        )
        self.submit("uitkomst/")

    def feedback(self, kind: str, text: str) -> None:
        tail = {"interim": "terugkoppeling/tussentijds/", "final": "terugkoppeling/eind/"}[kind]
        self.go("mailbox").form(tail).locator(f"textarea[name='feedback-{kind}-text']").fill(text)
        self.submit(tail)

    def complete_aftercare(self, invitation: str, *, ok: bool = True) -> None:
        self.go("decision").form("nazorg/afronden/").locator(
            "textarea[name='invitation-invitation']"
        ).fill(invitation)
        self.submit("nazorg/afronden/", ok=ok)


def today() -> str:
    return timezone.localdate().isoformat()


def staff(new_page, user, report: Report) -> CasePage:
    page = new_page()
    log_in_staff(page, user, check_axe=False)  # the login pages are checked in reports/
    return CasePage(page, report).open()


# --- The tests ---------------------------------------------------------------------------------


def test_named_report_through_mediation_to_evaluation(demo, new_page):
    report, code = submit_report(
        new_page(),
        "Een collega laat zijn partner inhuren als adviseur.",
        name="Sara Melder",
        email="sara@example.org",
    )

    # The coordinator finds the report in the work queue and acknowledges receipt.
    coordinator_page = new_page()
    log_in_staff(coordinator_page, demo["coordinator"], check_axe=False)
    coordinator_page.locator(f"a[href='/behandeling/{report.pk}/']").click()
    coordinator_page.wait_for_url(re.compile(rf"/behandeling/{report.pk}/$"))
    coordinator = CasePage(coordinator_page, report)
    assert "Sara Melder, sara@example.org" in coordinator_page.locator("main").inner_text()
    coordinator.shows_phase(Phase.RECEIVED)
    coordinator.acknowledge(ACKNOWLEDGEMENT)
    coordinator.shows_phase(Phase.ACKNOWLEDGED)

    # Intake and assessment: the record, the people, the checklist.
    coordinator.step("start_assessment")
    coordinator.shows_phase(Phase.ASSESSMENT)
    assert_no_axe_violations(coordinator_page)
    coordinator.assess()
    coordinator.assign("competent_authority", demo["authority"])
    coordinator.assign("process_guide", demo["guide"])
    coordinator.check_conflicts()
    coordinator.step("complete_assessment")
    coordinator.shows_phase(Phase.FOLLOW_UP_DECISION)

    # The competent authority decides: conversation or mediation.
    authority = staff(new_page, demo["authority"], report)
    authority.decide_follow_up("mediation", "Een gesprek onder begeleiding past hier het best.")
    authority.shows_phase(Phase.MEDIATION)

    # Meanwhile the coordinator keeps the reporter informed.
    coordinator.open().feedback("interim", INTERIM)

    # The process guide records the outcome and completes the follow-up.
    guide = staff(new_page, demo["guide"], report)
    assert guide.form("uitkomst/").count() == 0  # the guide keeps contact, not the outcome
    coordinator.open().record_outcome("Afspraken gemaakt over het inhuren van adviseurs.")
    coordinator.step("complete_follow_up")
    coordinator.shows_phase(Phase.FEEDBACK)

    # Final feedback, then aftercare: one action planned and done.
    coordinator.feedback("final", FINAL)
    coordinator.shows_phase(Phase.AFTERCARE)
    guide.open("decision")
    form = guide.form("nazorg/")
    form.locator("input[name='aftercare-audience'][value=reporter]").check()
    form.locator("textarea[name='aftercare-description']").fill("Nagesprek met de melder.")
    form.locator("input[name='aftercare-due_on']").fill(
        (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    )
    guide.submit("nazorg/")
    coordinator.open().complete_aftercare(INVITATION, ok=False)  # the action is still open
    assert (
        nl("Finish or cancel every aftercare action.")
        in coordinator_page.locator("#invitation-errors").inner_text()
    )
    coordinator.shows_phase(Phase.AFTERCARE)
    (action_id,) = report.aftercare_actions.values_list("pk", flat=True)
    guide.open("decision").submit(f"nazorg/{action_id}/afgerond/")
    coordinator.open().complete_aftercare(INVITATION)
    coordinator.shows_phase(Phase.EVALUATION)

    # The reporter reads everything in the mailbox and answers the evaluation.
    answer_evaluation(new_page(), code, [ACKNOWLEDGEMENT, INTERIM, FINAL, INVITATION])

    coordinator.open().step("close")
    coordinator.shows_phase(Phase.CLOSED)
    assert coordinator.form("heropenen/").count() == 1
    assert_no_axe_violations(coordinator_page)
    report.refresh_from_db()
    assert report.evaluation.answered_at is not None
    assert list(report.feedback.values_list("kind", flat=True).order_by("given_at")) == [
        "interim",
        "final",
    ]


def test_anonymous_report_through_investigation_to_evaluation(demo, new_page):
    report, code = submit_report(new_page(), "Bij inkoop worden offertes achteraf aangepast.")
    employee = demo["employee"]

    coordinator = staff(new_page, demo["coordinator"], report)
    assert (
        nl("Anonymous (contact through the mailbox)")
        in coordinator.page.locator("main").inner_text()
    )
    coordinator.acknowledge(ACKNOWLEDGEMENT)
    coordinator.step("start_assessment")
    coordinator.assess()
    coordinator.assign("competent_authority", demo["authority"])

    # Too early: the assessment cannot be completed before the checklist, and the page says why.
    steps = coordinator.page.locator("ul.int-steps").inner_text()
    assert nl("Complete the conflict-of-interest checklist (%(n)d open).", n=4) in steps
    assert coordinator.form("stap/complete_assessment/").count() == 0
    coordinator.check_conflicts()
    coordinator.step("complete_assessment")
    coordinator.shows_phase(Phase.FOLLOW_UP_DECISION)

    # The competent authority orders an investigation and commissions the investigator.
    authority = staff(new_page, demo["authority"], report)
    authority.decide_follow_up("investigation", "Ernstig vermoeden van fraude bij inkoop.")
    authority.shows_phase(Phase.INVESTIGATION)
    authority.assign("investigator", demo["investigator"])

    # The investigator records the subject, how they were informed, and the outcome.
    investigator = staff(new_page, demo["investigator"], report)
    form = investigator.go("people").form("beklagde/")
    form.locator("select[name='subject-person']").select_option(value=str(employee.pk))
    investigator.submit("beklagde/")
    subject = Subject.objects.get(report=report)
    investigator.page.locator(f"#subject-{subject.pk} ~ details summary").click()
    form = investigator.form(f"beklagde/{subject.pk}/geinformeerd/")
    informed_at = timezone.localtime() - datetime.timedelta(hours=1)
    form.locator(f"input[name='informed-{subject.pk}-informed_at']").fill(
        informed_at.strftime("%Y-%m-%dT%H:%M")
    )
    form.locator(f"input[name='informed-{subject.pk}-how'][value=in_person]").check()
    form.locator(f"textarea[name='informed-{subject.pk}-note']").fill("In een gesprek.")
    investigator.submit(f"beklagde/{subject.pk}/geinformeerd/")
    investigator.record_outcome("Offertes zijn na ontvangst aangepast; vermoeden bevestigd.")
    investigator.step("complete_investigation")
    investigator.shows_phase(Phase.DECISION)

    # The competent authority decides per type, hears the employee, imposes a measure.
    authority.open()
    assert_no_axe_violations(authority.page)
    form = authority.form("besluit/")
    form.locator("textarea[name='decision-summary']").fill("Financiële schending vastgesteld.")
    form.locator("input[name='decision-finding_financial'][value=yes]").check()
    form.locator("input[name='decision-finding_position'][value=no]").check()
    authority.submit("besluit/")

    def measure_form():
        form = authority.form("maatregel/")
        written_reprimand = MeasureType.objects.get(code="written_reprimand")
        form.locator("select[name='measure-measure_type']").select_option(
            value=str(written_reprimand.pk)
        )
        form.locator("select[name='measure-subject']").select_option(value=str(subject.pk))

    measure_form()
    authority.submit("maatregel/", ok=False)  # too early: the employee was not heard
    assert (
        nl("The employee must be heard before any measure (RULES R10).")
        in authority.page.locator("#measure-errors").inner_text()
    )
    authority.open()
    form = authority.form("hoorzitting/")
    form.locator("select[name='hearing-subject']").select_option(value=str(subject.pk))
    form.locator("input[name='hearing-held_on']").fill(today())
    form.locator("input[name='hearing-form'][value=both]").check()
    form.locator("input[name='hearing-assisted_by']").fill("Vakbondsjurist")
    form.locator("textarea[name='hearing-record_text']").fill("De medewerker erkent de feiten.")
    authority.submit("hoorzitting/")
    measure_form()
    authority.submit("maatregel/")
    assert_no_axe_violations(authority.page)
    authority.step("record_decision")
    authority.shows_phase(Phase.FEEDBACK)

    # Final feedback; aftercare without open actions; the evaluation; closure.
    coordinator.open().feedback("final", FINAL)
    coordinator.shows_phase(Phase.AFTERCARE)
    coordinator.complete_aftercare(INVITATION)
    coordinator.shows_phase(Phase.EVALUATION)
    answer_evaluation(new_page(), code, [ACKNOWLEDGEMENT, FINAL, INVITATION])
    coordinator.open().step("close")
    coordinator.shows_phase(Phase.CLOSED)
    assert_no_axe_violations(coordinator.page)
    report.refresh_from_db()
    assert report.decision.findings.filter(established=True).count() == 1
    assert report.measures.get().hearing is not None

    # The subject logs in and finds nothing: an empty queue, and "not found" for the case.
    subject_page = new_page()
    log_in_staff(subject_page, employee, check_axe=False)
    assert report.reference not in subject_page.content()
    assert subject_page.locator(f"a[href*='{report.pk}']").count() == 0
    response = subject_page.goto(f"/behandeling/{report.pk}/")
    assert response.status == 404
    assert "offertes" not in subject_page.content().lower()
