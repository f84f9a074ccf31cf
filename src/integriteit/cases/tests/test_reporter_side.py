"""The reporter's side of case handling in the mailbox (issue 3 §4, §6): what happens now, the
evaluation, and a complaint about the handling that becomes its own case."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import dateformat, timezone, translation
from django.utils.html import escape

from integriteit.access.rules import reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.cases import services
from integriteit.cases.constants import CaseRole, ConflictCheckItem, FollowUpRoute
from integriteit.cases.models import Evaluation
from integriteit.cases.phases import PHASE_GUIDE
from integriteit.reports import mailbox_panels
from integriteit.reports.constants import Kind, Phase
from integriteit.reports.models import Report
from integriteit.reports.receipts import normalise
from integriteit.testing import found, shown_code

from .flow import verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def nl(text) -> str:
    """What the page shows for a (lazy) message in the default language, HTML-escaped."""
    with translation.override("nl"):
        return escape(translation.gettext(str(text)))


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def open_mailbox(code: str) -> Client:
    client = Client()
    response = client.post("/postbus/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/postbus/berichten/"
    return client


def acknowledge_by_view(staff_client, people, report: Report) -> None:
    response = staff_client(people["coordinator"]).post(
        f"/behandeling/{report.pk}/ontvangst/", {"text": "Wij hebben uw melding ontvangen."}
    )
    assert response.status_code == 302
    assert fresh(report).phase == Phase.ACKNOWLEDGED


def to_evaluation(staff_client, people, report: Report) -> Report:
    """Acknowledged through the view, then every phase with the real services."""
    acknowledge_by_view(staff_client, people, report)
    coordinator = verified(people["coordinator"])
    services.start_assessment(coordinator, fresh(report))
    services.record_assessment(
        coordinator,
        fresh(report),
        in_scope=True,
        urgency="normal",
        kind=Kind.INTEGRITY_VIOLATION,
        type_codes=["financial"],
    )
    services.assign(coordinator, fresh(report), people["authority"], CaseRole.COMPETENT_AUTHORITY)
    for item in ConflictCheckItem:
        services.check_conflict_item(coordinator, fresh(report), item)
    services.complete_assessment(coordinator, fresh(report))
    services.decide_follow_up(
        verified(people["authority"]),  # the competent authority decides on follow-up
        fresh(report),
        FollowUpRoute.NO_FURTHER_ACTION,
        "Geen aanwijzingen.",
        message_to_reporter="Wij doen geen verder onderzoek, omdat er geen aanwijzingen zijn.",
    )
    services.record_outcome(coordinator, fresh(report), "Afgesloten zonder vervolg.")
    services.complete_follow_up(coordinator, fresh(report))
    services.give_final_feedback(coordinator, fresh(report), "Dit is wat wij deden.")
    services.complete_aftercare(coordinator, fresh(report), "Wilt u het proces beoordelen?")
    report = fresh(report)
    assert report.phase == Phase.EVALUATION
    return report


# --- The extension point -----------------------------------------------------------------------


def test_cases_registers_its_panels_in_the_mailbox():
    from integriteit.cases import mailbox

    names = [panel.__name__ for panel in mailbox_panels.registered()]
    assert names[:3] == ["progress_panel", "evaluation_panel", "complaint_panel"]
    mailbox.register_panels()  # a repeated ready() adds nothing
    assert len(mailbox_panels.registered()) == len(names)


def test_plain_text_panels_are_escaped(make_report):
    _report, code = make_report()

    def shouting(request, report):
        return "<script>alert(1)</script>"

    mailbox_panels.register(shouting)
    try:
        page = open_mailbox(code).get("/postbus/berichten/").content.decode()
    finally:
        mailbox_panels.unregister(shouting)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- What happens now ----------------------------------------------------------------------------


def test_panel_shows_phase_text_steps_and_dates(make_report, staff_client, people):
    report, code = make_report()
    client = open_mailbox(code)
    page = client.get("/postbus/berichten/").content.decode()
    assert nl("What happens now") in page
    assert nl(PHASE_GUIDE[Phase.RECEIVED].for_reporter) in page
    assert 'aria-current="step"' in page
    assert nl("Next news about your report, no later than") not in page  # not acknowledged yet

    acknowledge_by_view(staff_client, people, report)
    page = client.get("/postbus/berichten/").content.decode()
    assert nl(PHASE_GUIDE[Phase.ACKNOWLEDGED].for_reporter) in page
    assert nl(PHASE_GUIDE[Phase.RECEIVED].for_reporter) not in page
    assert nl("Next news about your report, no later than") in page
    due = services.interim_feedback_due(fresh(report))
    with translation.override("nl"):
        assert dateformat.format(timezone.localtime(due), "j F Y") in page
    # The reporter side never shows who handles the case.
    coordinator = people["coordinator"]
    assert coordinator.last_name not in page and coordinator.first_name not in page


def test_mailbox_without_session_shows_no_panel_pages():
    client = Client()
    for url in ("/postbus/klacht/", "/postbus/klacht/ontvangen/"):
        response = client.get(url)
        assert response.status_code == 302
    assert client.post("/postbus/evaluatie/", {"felt_safe": "3"})["Location"] == "/postbus/"


# --- Evaluation ----------------------------------------------------------------------------------

ANSWERS = {
    "felt_safe": "4",
    "kept_informed": "2",
    "taken_seriously": "5",
    "would_report_again": "yes",
    "comment": "Duidelijk, maar ik hoorde lang niets.",
}


def test_no_evaluation_form_before_the_invitation(make_report):
    report, code = make_report()
    page = open_mailbox(code).get("/postbus/berichten/").content.decode()
    assert 'name="felt_safe"' not in page
    response = open_mailbox(code).post("/postbus/evaluatie/", ANSWERS)
    assert response.status_code == 302
    assert not Evaluation.objects.filter(report=report).exists()


def test_evaluation_answered_once(make_report, staff_client, people):
    report, code = make_report()
    report = to_evaluation(staff_client, people, report)
    client = open_mailbox(code)
    page = client.get("/postbus/berichten/").content.decode()
    assert nl("How did you experience the process?") in page
    assert (
        page.count(
            'type="radio" class="utrecht-radio-button utrecht-radio-button--html-input" name="felt_safe"'
        )
        == 5
    )
    assert nl("5 – Strongly agree") in page

    response = client.post("/postbus/evaluatie/", ANSWERS)
    assert response.status_code == 302 and response["Location"] == "/postbus/berichten/"
    evaluation = Evaluation.objects.get(report=report)
    assert (evaluation.felt_safe, evaluation.kept_informed, evaluation.taken_seriously) == (4, 2, 5)
    assert evaluation.would_report_again is True
    assert services.open_on(evaluation, "sealed_comment") == ANSWERS["comment"]
    assert AuditEntry.objects.filter(action="case.evaluation_answered").count() == 1

    page = client.get("/postbus/berichten/").content.decode()
    assert 'name="felt_safe"' not in page
    assert nl("Thank you for your answers.") in page

    # A second answer is refused and changes nothing.
    again = client.post("/postbus/evaluatie/", {**ANSWERS, "felt_safe": "1", "comment": "Anders"})
    assert again.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.felt_safe == 4
    assert services.open_on(evaluation, "sealed_comment") == ANSWERS["comment"]
    with pytest.raises(services.CaseError):
        services.answer_evaluation(
            report, felt_safe=1, kept_informed=1, taken_seriously=1, would_report_again=False
        )
    assert AuditEntry.objects.filter(action="case.evaluation_answered").count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"felt_safe": "7"}, "felt_safe"),
        ({"kept_informed": "0"}, "kept_informed"),
        ({"taken_seriously": "veel"}, "taken_seriously"),
        ({"felt_safe": ""}, "felt_safe"),
        ({"would_report_again": "misschien"}, "would_report_again"),
    ],
)
def test_evaluation_scores_are_validated_and_answers_kept(
    make_report, staff_client, people, change, field
):
    report, code = make_report()
    to_evaluation(staff_client, people, report)
    client = open_mailbox(code)
    response = client.post("/postbus/evaluatie/", {**ANSWERS, **change})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert "utrecht-form-field--invalid" in page
    # What was typed or chosen stays.
    assert escape(ANSWERS["comment"]) in page
    assert re.search(r'name="kept_informed" value="2" id="[^"]+" checked', page) or field == (
        "kept_informed"
    )
    assert Evaluation.objects.get(report=report).answered_at is None


def test_service_refuses_scores_outside_1_to_5(make_report, staff_client, people):
    report, _code = make_report()
    report = to_evaluation(staff_client, people, report)
    with pytest.raises(services.CaseError):
        services.answer_evaluation(
            report, felt_safe=6, kept_informed=3, taken_seriously=3, would_report_again=True
        )
    assert Evaluation.objects.get(report=report).answered_at is None


# --- Complaint about the handling ----------------------------------------------------------------


def _file_complaint(client: Client, text: str = "Ik hoorde maanden niets.") -> str:
    form = client.get("/postbus/klacht/")
    assert form.status_code == 200
    token = found(r'name="token" value="([^"]+)"', form.content.decode())
    response = client.post("/postbus/klacht/", {"text": text, "token": token})
    assert response.status_code == 302
    assert response["Location"] == "/postbus/klacht/ontvangen/"
    return token


def test_complaint_page_explains_independent_handling_and_ombudsman(make_report):
    _report, code = make_report()
    client = open_mailbox(code)
    page = client.get("/postbus/berichten/").content.decode()
    assert 'href="/postbus/klacht/"' in page
    page = client.get("/postbus/klacht/").content.decode()
    assert "Nationale ombudsman" in page
    assert (
        nl(
            "Your complaint becomes a separate case. It is handled by people who were not "
            "involved in your report. Those who handled your report do not see your complaint."
        )
        in page
    )


def test_empty_complaint_is_refused_and_nothing_filed(make_report):
    report, code = make_report()
    client = open_mailbox(code)
    form = client.get("/postbus/klacht/").content.decode()
    token = found(r'name="token" value="([^"]+)"', form)
    response = client.post("/postbus/klacht/", {"text": "   ", "token": token})
    assert response.status_code == 200
    assert nl("Describe your complaint.") in response.content.decode()
    assert not Report.objects.filter(concerns_report=report).exists()


def test_complaint_is_its_own_case_kept_from_the_original_handlers(
    make_report, make_staff, staff_client, people
):
    report, code = make_report()
    acknowledge_by_view(staff_client, people, report)
    client = open_mailbox(code)
    token = _file_complaint(client)

    complaint = Report.objects.get(concerns_report=report)
    assert complaint.kind == Kind.HANDLING_COMPLAINT
    assert complaint.is_submitted and complaint.phase == Phase.RECEIVED

    # The new receipt code is shown, again on a reload, until she has written it down.
    received = client.get("/postbus/klacht/ontvangen/")
    assert received.status_code == 200
    page = received.content.decode()
    shown = shown_code(page)
    assert complaint.reference in page
    assert "Nationale ombudsman" in page
    assert shown_code(client.get("/postbus/klacht/ontvangen/").content.decode()) == shown
    assert client.post("/postbus/klacht/ontvangen/")["Location"] == "/postbus/berichten/"
    assert client.get("/postbus/klacht/ontvangen/").status_code == 302

    # The same form sent again (back button, double click) files nothing new.
    again = client.post("/postbus/klacht/", {"text": "Nog een keer.", "token": token})
    assert again.status_code == 302
    assert Report.objects.filter(concerns_report=report).count() == 1

    # The new code opens the complaint's own mailbox, not the original.
    assert normalise(shown) is not None and normalise(shown) != normalise(code)
    own = open_mailbox(shown)
    mailbox_page = own.get("/postbus/berichten/").content.decode()
    assert complaint.reference in mailbox_page and report.reference not in mailbox_page
    # A complaint about a complaint goes to the National Ombudsman instead.
    assert own.get("/postbus/klacht/").status_code == 302
    assert "https://www.nationaleombudsman.nl/" in mailbox_page
    # The original's mailbox says a complaint was filed.
    filed = nl(
        "You filed a complaint about the handling on %(date)s. Follow it in its own mailbox, "
        "with the receipt code you got for it."
    ).split("%(date)s")[0]
    assert filed in client.get("/postbus/berichten/").content.decode()

    # The coordinator who acknowledged the original does not see the complaint.
    coordinator = verified(people["coordinator"])
    assert not reports_visible_to(coordinator).filter(pk=complaint.pk).exists()
    assert reports_visible_to(coordinator).filter(pk=report.pk).exists()
    assert staff_client(coordinator).get(f"/behandeling/{complaint.pk}/").status_code == 404
    # Another coordinator of the same organisation does.
    other = make_staff(Role.COORDINATOR, "bzk", first_name="Tweede", last_name="Coördinator")
    assert reports_visible_to(verified(other)).filter(pk=complaint.pk).exists()
    other_client = staff_client(other)
    assert other_client.get(f"/behandeling/{complaint.pk}/").status_code == 200
    assert other_client.get(f"/behandeling/{report.pk}/").status_code == 200

    # Once assigned as the complaint's handler, they no longer see the original case.
    services.assign(verified(other), fresh(complaint), other, CaseRole.HANDLER)
    assert not reports_visible_to(verified(other)).filter(pk=report.pk).exists()
    assert other_client.get(f"/behandeling/{report.pk}/").status_code == 404
    assert other_client.get(f"/behandeling/{complaint.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="case.complaint_filed").count() == 1


def test_complaint_after_closure_and_evaluation(make_report, staff_client, people):
    report, code = make_report()
    report = to_evaluation(staff_client, people, report)
    services.close(verified(people["coordinator"]), report)
    client = open_mailbox(code)
    page = client.get("/postbus/berichten/").content.decode()
    assert nl(PHASE_GUIDE[Phase.CLOSED].for_reporter) in page
    _file_complaint(client, "De afhandeling was niet zorgvuldig.")
    complaint = Report.objects.get(concerns_report=report)
    # Everyone who acted on the original, the competent authority included, is kept out.
    for username in ("coordinator", "authority"):
        assert not reports_visible_to(verified(people[username])).filter(pk=complaint.pk).exists()
