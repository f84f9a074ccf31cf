"""The case page's panels through the Django test client: one case through every phase, each
role doing its part, refusals shown with their reasons, and a 404 for a role without the action.

Pages are requested under /en/ so the reasons are matched in English (the site defaults to Dutch).
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from integriteit.audit.models import AuditEntry
from integriteit.cases import services
from integriteit.cases.constants import ConflictCheckItem
from integriteit.cases.models import (
    AftercareAction,
    CaseAssignment,
    DeclaredConflict,
    DisadvantageSignal,
    Measure,
    MeasureType,
    OrderMeasure,
    Subject,
)
from integriteit.cases.views.panels import SECTIONS
from integriteit.crypto.references import tag_for
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from .flow import Flow

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _url(report: Report, tail: str = "") -> str:
    return f"/en/behandeling/{report.pk}/{tail}"


def _page(client, report: Report) -> str:
    """The whole case page: every section of it (the page shows one section at a time)."""
    pages = []
    for section in SECTIONS:
        response = client.get(_url(report) + f"?section={section.key}")
        assert response.status_code == 200
        pages.append(response.content.decode())
    return "\n".join(pages)


def _post(client, report: Report, tail: str, data: dict | None = None):
    """Post as the page does, the confirmation of an irreversible step ticked (the refusal
    without it is tested in test_confirmation.py)."""
    return client.post(_url(report, tail), {"confirm": "yes", **(data or {})}, follow=True)


def _text(response) -> str:
    return response.content.decode()


def _phase(report: Report) -> str:
    report.refresh_from_db()
    return report.phase


@pytest.fixture
def report(make_report):
    report, _code = make_report(types=("financial", "position"))
    return report


@pytest.fixture
def clients(people, staff_client):
    return {
        name: staff_client(people[name])
        for name in ("coordinator", "authority", "investigator", "guide", "employee")
    }


def test_case_page_shows_what_the_coordinator_must_do_and_by_when(report, clients):
    page = _page(clients["coordinator"], report)
    assert "What you may and must do now" in page
    assert "Acknowledge receipt" in page and 'href="?section=overview#step-acknowledge"' in page
    assert "People on the case" in page


def test_the_staff_message_field_says_to_whom(report, clients, people):
    """Issue 10 defect 7: staff saw the reporter's label "Your message" on the case page."""
    Flow(people, report=report).acknowledge()
    with translation.override("en"):
        page = _page(clients["coordinator"], report)
    assert "Message to the reporter" in page and "Your message" not in page


def _assert_refused(response, *reasons: str) -> None:
    """A refusal shows the case page again (no redirect) with every reason on it."""
    assert response.status_code == 200 and not response.redirect_chain, response.redirect_chain
    text = _text(response).replace("&#x27;", "'").replace("&quot;", '"')
    for reason in reasons:
        assert reason in text, reason


def _assert_refused_by_rule(response, *reasons: str) -> None:
    """A refusal by the rules of the process (cases.guards) of a form with nothing typed into
    it redirects to the case page, where the reasons are shown (issue 10: a reload does not post
    again; docs/workspace.md "After a post")."""
    assert response.redirect_chain, "expected a redirect after a refusal by the rules"
    text = _text(response).replace("&#x27;", "'").replace("&quot;", '"')
    for reason in reasons:
        assert reason in text, reason


def _assert_done(response, message: str) -> None:
    assert response.redirect_chain, "expected a redirect after success"
    assert message in _text(response).replace("&#x27;", "'")


def test_one_case_through_every_phase(report, clients, people, django_capture_on_commit_callbacks):
    coordinator, authority = clients["coordinator"], clients["authority"]
    investigator, guide = clients["investigator"], clients["guide"]

    # Receipt: acknowledgement, then intake.
    coordinator.post(_url(report, "ontvangst/"), {"text": "Ontvangen."})
    assert _phase(report) == Phase.ACKNOWLEDGED
    page = _page(coordinator, report)
    assert "Give interim feedback to the reporter." in page  # with its due date
    assert "Final feedback to the reporter within the legal term (RULES R4)." in page
    _post(coordinator, report, "stap/start_assessment/")
    assert _phase(report) == Phase.ASSESSMENT

    # Completing the assessment is refused with every missing piece named.
    response = _post(coordinator, report, "stap/complete_assessment/")
    for reason in (
        "Record whether the report is within scope.",
        "Assign the competent authority.",
        "Complete the conflict-of-interest checklist (4 open).",
    ):
        assert reason in _text(response).replace("&#x27;", "'")
    assert _phase(report) == Phase.ASSESSMENT

    # The assessment form keeps what was typed when it is refused.
    response = _post(
        coordinator,
        report,
        "beoordeling/",
        {
            "assessment-in_scope": "yes",
            "assessment-urgency": "high",
            "assessment-kind": "integrity_violation",
            "assessment-notes": "Eerste indruk: serieus.",
        },
    )
    _assert_refused(response, "Choose at least one type of integrity violation.")
    assert "Eerste indruk: serieus." in _text(response)
    response = _post(
        coordinator,
        report,
        "beoordeling/",
        {
            "assessment-in_scope": "yes",
            "assessment-urgency": "high",
            "assessment-kind": "integrity_violation",
            "assessment-violation_types": ["financial", "position"],
            "assessment-notes": "Eerste indruk: serieus.",
        },
    )
    _assert_done(response, "The assessment is saved.")
    assert "Eerste indruk: serieus." in _text(response)  # notes opened for display
    report.refresh_from_db()
    assert report.assessment.in_scope is True
    assert b"Eerste indruk" not in bytes(report.assessment.sealed_notes)

    # People on the case; a second assignment to the same role is refused with the reason.
    for role, person in (
        ("competent_authority", "authority"),
        ("investigator", "investigator"),
        ("process_guide", "guide"),
    ):
        response = _post(
            coordinator, report, f"toewijzen/{role}/", {f"assign-{role}-person": people[person].pk}
        )
        _assert_done(response, "The person is assigned to the case.")
    response = _post(
        coordinator,
        report,
        "toewijzen/investigator/",
        {"assign-investigator-person": people["investigator"].pk},
    )
    # Not even offered (issue 10 defect 7): the service's rule filters the choices.
    _assert_refused(response, "Not saved: check the fields marked below.")
    assert report.assignments.filter(role="investigator", ended_at=None).count() == 1
    # Only candidates with the matching organisation role can be chosen.
    response = _post(
        coordinator,
        report,
        "toewijzen/investigator/",
        {"assign-investigator-person": people["employee"].pk},
    )
    _assert_refused(response, "Select a valid choice.")
    page = _page(coordinator, report)
    assert str(people["authority"]) in page and "Competent authority (bevoegd gezag)" in page

    # The conflict-of-interest checklist, with who checked when.
    for item in ConflictCheckItem:
        _post(coordinator, report, "belangencheck/", {"check-item": item.value})
    page = _page(coordinator, report)
    assert page.count(f"by {people['coordinator']} on") == len(ConflictCheckItem)
    _post(coordinator, report, "stap/complete_assessment/")
    assert _phase(report) == Phase.FOLLOW_UP_DECISION

    # Decision on follow-up by the competent authority: a referral needs a target and a message.
    response = _post(
        authority,
        report,
        "vervolg/",
        {"follow-up-route": "referral", "follow-up-reason": "Hoort bij de politie."},
    )
    _assert_refused(
        response,
        "Say where the report is referred to.",
        "Write the message that informs the reporter of this decision.",
    )
    assert "Hoort bij de politie." in _text(response)
    response = _post(
        authority,
        report,
        "vervolg/",
        {"follow-up-route": "investigation", "follow-up-reason": "Ernstig vermoeden."},
    )
    _assert_done(response, "The decision on follow-up is recorded.")
    assert _phase(report) == Phase.INVESTIGATION

    # Investigation: the subject, informed; the outcome; an order measure in between.
    response = _post(investigator, report, "beklagde/", {})
    _assert_refused(response, "Choose the person or describe them.")
    response = _post(investigator, report, "beklagde/", {"subject-person": people["employee"].pk})
    _assert_done(response, "The subject is recorded.")
    subject = Subject.objects.get(report=report)
    page = _page(investigator, report)
    assert "A subject is a person with rights." in page
    assert "No, not informed yet" in page
    assert f"Inform {people['employee']} and record when and how." in page

    response = _post(investigator, report, "stap/complete_investigation/")
    assert "Record the outcome of the follow-up." in _text(response)
    assert "Record when and how every subject was informed." in _text(response)
    assert _phase(report) == Phase.INVESTIGATION

    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    tail = f"beklagde/{subject.pk}/geinformeerd/"
    prefix = f"informed-{subject.pk}"
    response = _post(
        investigator, report, tail, {f"{prefix}-informed_at": future, f"{prefix}-how": "letter"}
    )
    _assert_refused(response, "The moment of informing cannot be in the future.")
    earlier = (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = _post(
        investigator,
        report,
        tail,
        {
            f"{prefix}-informed_at": earlier,
            f"{prefix}-how": "letter",
            f"{prefix}-note": "Per brief.",
        },
    )
    _assert_done(response, "Recorded how the subject was informed.")
    assert "Per brief." in _text(response)

    response = _post(
        authority,
        report,
        "ordemaatregel/",
        {
            "order-subject": subject.pk,
            "order-kind": "suspension",
            "order-reason": "Risico op beïnvloeding van getuigen.",
            "order-starts_on": TODAY().isoformat(),
            "order-ends_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    _assert_refused(response, "The end date must be on or after the start date.")
    response = _post(
        authority,
        report,
        "ordemaatregel/",
        {
            "order-subject": subject.pk,
            "order-kind": "suspension",
            "order-reason": "Risico op beïnvloeding van getuigen.",
            "order-starts_on": TODAY().isoformat(),
            "order-ends_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    _assert_done(response, "The order measure is recorded.")
    assert "Risico op beïnvloeding van getuigen." in _text(response)
    order = OrderMeasure.objects.get(report=report)

    response = _post(investigator, report, "uitkomst/", {"outcome-outcome": "Vermoeden bevestigd."})
    _assert_done(response, "The outcome is recorded.")
    _post(investigator, report, "stap/complete_investigation/")
    assert _phase(report) == Phase.DECISION

    # Decision and measures: a measure needs a decision, then a hearing (RULES R10).
    page = _page(authority, report)
    assert "What you may and must do now" in page
    assert f"Hear {people['employee']} before any measure (RULES R10)." in page
    assert "Record the decision of the competent authority." in page
    reprimand = {
        "measure-measure_type": _measure_pk("written_reprimand"),
        "measure-subject": subject.pk,
        "measure-imposed_on": TODAY().isoformat(),
    }
    response = _post(authority, report, "maatregel/", reprimand)
    _assert_refused_by_rule(response, "Record the decision before imposing measures.")
    response = _post(authority, report, "stap/record_decision/")
    assert "Record the decision of the competent authority." in _text(response)
    response = _post(
        authority,
        report,
        "besluit/",
        {
            "decision-summary": "Schending vastgesteld.",
            "decision-decided_on": TODAY().isoformat(),
            "decision-finding_financial": "yes",
        },
    )
    _assert_refused(response, "This field is required.")
    response = _post(
        authority,
        report,
        "besluit/",
        {
            "decision-summary": "Schending vastgesteld.",
            "decision-decided_on": TODAY().isoformat(),
            "decision-finding_financial": "yes",
            "decision-finding_position": "no",
        },
    )
    _assert_done(response, "The decision is recorded.")
    response = _post(authority, report, "maatregel/", reprimand)
    _assert_refused(response, "The employee must be heard before any measure (RULES R10).")
    page = _page(authority, report)
    assert "Not heard yet: no measure is possible" in page
    assert "Schorsing als straf (oude code)" not in page  # legacy measures are not offered
    response = _post(
        authority,
        report,
        "maatregel/",
        {**reprimand, "measure-measure_type": _measure_pk("legacy_salary_reduction")},
    )
    _assert_refused(response, "Select a valid choice.")
    response = _post(
        authority,
        report,
        "hoorzitting/",
        {
            "hearing-subject": subject.pk,
            "hearing-held_on": TODAY().isoformat(),
            "hearing-form": "both",
            "hearing-assisted_by": "Vakbondsjurist",
            "hearing-record_text": "Betrokkene erkent de feiten.",
        },
    )
    _assert_done(response, "The hearing is recorded.")
    response = _post(authority, report, "maatregel/", reprimand)
    _assert_done(response, "The measure is recorded.")
    assert Measure.objects.get(report=report).hearing is not None
    response = _post(
        authority,
        report,
        f"ordemaatregel/{order.pk}/opheffen/",
        {f"lift-{order.pk}-lifted_on": TODAY().isoformat()},
    )
    _assert_done(response, "The order measure is lifted.")
    _post(authority, report, "stap/record_decision/")
    assert _phase(report) == Phase.FEEDBACK

    # Feedback by the process guide: interim, then final.
    page = _page(guide, report)
    assert "Next interim feedback due" in page and "Give final feedback" in page
    response = _post(
        guide, report, "terugkoppeling/tussentijds/", {"feedback-interim-text": "Wij zijn bezig."}
    )
    _assert_done(response, "The interim feedback is in the reporter's mailbox.")
    response = _post(guide, report, "terugkoppeling/eind/", {"feedback-final-text": "  "})
    _assert_refused(response, "This field is required.")
    response = _post(
        guide, report, "terugkoppeling/eind/", {"feedback-final-text": "Het onderzoek is klaar."}
    )
    _assert_done(response, "The final feedback is in the reporter's mailbox.")
    assert _phase(report) == Phase.AFTERCARE

    # Aftercare and a signal of disadvantage (RULES R8).
    response = _post(
        guide,
        report,
        "nazorg/",
        {
            "aftercare-audience": "reporter",
            "aftercare-description": "Gesprek over hoe het gaat.",
            "aftercare-due_on": (TODAY() + datetime.timedelta(days=14)).isoformat(),
        },
    )
    _assert_done(response, "The aftercare action is planned.")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            guide, report, "benadeling/", {"signal-description": "Slechtere beoordeling."}
        )
    _assert_done(response, "The signal is recorded and the coordinators are alerted.")
    assert any("disadvantage" in m.subject.lower() for m in mail.outbox)
    page = _page(coordinator, report)
    assert "1 signal of disadvantage to the reporter is not handled yet (RULES R8)." in page
    assert "Gesprek over hoe het gaat." in page and "Slechtere beoordeling." in page
    assert "Aftercare for reporter: Gesprek over hoe het gaat." in page  # with its due date
    assert "Urgent:" in page
    response = _post(guide, report, "nazorg/afronden/", {"invitation-invitation": "Hoe was het?"})
    _assert_refused(
        response,
        "Finish or cancel every aftercare action.",
        "Handle every signal of disadvantage to the reporter first.",
    )
    assert "Hoe was het?" in _text(response)

    signal = DisadvantageSignal.objects.get(report=report)
    _assert_done(
        _post(coordinator, report, f"benadeling/{signal.pk}/afgehandeld/"),
        "The signal is marked as handled.",
    )
    assert (
        clients["guide"].post(_url(report, f"benadeling/{signal.pk}/afgehandeld/")).status_code
        == 404
    )
    action = AftercareAction.objects.get(report=report)
    _assert_done(
        _post(guide, report, f"nazorg/{action.pk}/afgerond/"), "The aftercare action is done."
    )
    response = _post(
        guide,
        report,
        "nazorg/",
        {
            "aftercare-audience": "team",
            "aftercare-description": "Teamsessie.",
            "aftercare-due_on": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    team = AftercareAction.objects.get(report=report, audience="team")
    response = _post(
        guide, report, f"nazorg/{team.pk}/geannuleerd/", {f"cancel-{team.pk}-reason": ""}
    )
    _assert_refused(response, "This field is required.")
    response = _post(
        guide,
        report,
        f"nazorg/{team.pk}/geannuleerd/",
        {f"cancel-{team.pk}-reason": "Team wil dit niet."},
    )
    _assert_done(response, "The aftercare action is cancelled.")
    assert "Team wil dit niet." in _text(response)
    response = _post(guide, report, "nazorg/afronden/", {"invitation-invitation": "Hoe was het?"})
    _assert_done(response, "Aftercare is complete.")
    assert _phase(report) == Phase.EVALUATION

    # Closing and reopening with a reason.
    _post(coordinator, report, "stap/close/")
    assert _phase(report) == Phase.CLOSED
    assert "Reopen the case" in _page(coordinator, report)
    response = _post(coordinator, report, "heropenen/", {"reason": ""})
    assert "Give the reason for reopening." in _text(response)
    assert _phase(report) == Phase.CLOSED
    _post(coordinator, report, "heropenen/", {"reason": "Nieuwe feiten."})
    assert _phase(report) == Phase.ASSESSMENT

    for action_name in (
        "case.assessed",
        "case.assigned",
        "case.decision_recorded",
        "case.hearing_recorded",
        "case.measure_imposed",
        "case.disadvantage_signal",
        "case.reopen",
    ):
        assert AuditEntry.objects.filter(action=action_name).exists(), action_name


def _measure_pk(code: str) -> int:
    return MeasureType.objects.get(code=code).pk


def test_assignment_refused_for_a_declared_conflict(people, staff_client, make_report):
    report, _code = make_report(involved=(people["employee"],))
    guide = staff_client(people["guide"])
    page = guide.get("/en/behandeling/belangenverstrengeling/").content.decode()
    assert "My declared conflicts of interest" in page
    response = guide.post(
        "/en/behandeling/belangenverstrengeling/",
        {"conflict-person": people["employee"].pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Your declaration of a conflict of interest is recorded." in page
    assert f"Withdraw the declaration about {people['employee']}" in page
    assert DeclaredConflict.objects.filter(
        user=people["guide"], person_tag=tag_for(DeclaredConflict, "person", people["employee"].pk)
    ).exists()

    coordinator = staff_client(people["coordinator"])
    response = coordinator.post(
        _url(report, "toewijzen/process_guide/"),
        {"assign-process_guide-person": people["guide"].pk},
        follow=True,
    )
    # Not offered, so not accepted either (issue 10 defect 7; the service refuses it too).
    _assert_refused(response, "Not saved: check the fields marked below.")
    assert not CaseAssignment.objects.filter(report=report, user=people["guide"]).exists()


def test_end_assignment(report, clients, people):
    coordinator = clients["coordinator"]
    _post(
        coordinator,
        report,
        "toewijzen/process_guide/",
        {"assign-process_guide-person": people["guide"].pk},
    )
    assignment = CaseAssignment.objects.get(report=report, user=people["guide"])
    assert clients["guide"].get(_url(report)).status_code == 200
    _assert_done(
        _post(coordinator, report, f"toewijzing/{assignment.pk}/beeindigen/"),
        "no longer has the role",
    )
    assert clients["guide"].get(_url(report)).status_code == 404


def test_case_page_in_dutch_and_roles_named(report, clients):
    response = clients["coordinator"].get(f"/behandeling/{report.pk}/")
    assert response.status_code == 200
    page = _page(clients["coordinator"], report)
    assert "Integrity coordinator of the organisation" in page


def test_sections_follow_the_role(report, clients, people):
    coordinator = clients["coordinator"]
    coordinator.post(_url(report, "ontvangst/"), {"text": "Ontvangen."})
    _post(coordinator, report, "stap/start_assessment/")
    for role, person in (("competent_authority", "authority"), ("process_guide", "guide")):
        _post(
            coordinator, report, f"toewijzen/{role}/", {f"assign-{role}-person": people[person].pk}
        )
    coordinator_page = _page(coordinator, report)
    guide_page = _page(clients["guide"], report)
    authority_page = _page(clients["authority"], report)
    assert "Record the assessment" in coordinator_page and "Assign a person" in coordinator_page
    assert "Record the assessment" not in guide_page and "Assign a person" not in guide_page
    assert "Give interim feedback" in guide_page  # the guide keeps the reporter informed
    assert "Give interim feedback" not in authority_page
    assert "Mark as checked" not in authority_page
    assert "done by another role on the case" in authority_page
    assert 'id="decision"' not in authority_page  # no decision panel before its phase


WRONG_ROLE = [
    ("toewijzen/investigator/", "guide"),
    ("toewijzing/{assignment}/beeindigen/", "authority"),
    ("beoordeling/", "authority"),
    ("belangencheck/", "investigator"),
    ("vervolg/", "guide"),
    ("uitkomst/", "guide"),
    ("beklagde/", "guide"),
    ("beklagde/{subject}/geinformeerd/", "guide"),
    ("terugkoppeling/tussentijds/", "investigator"),
    ("terugkoppeling/eind/", "authority"),
    ("nazorg/", "investigator"),
    ("nazorg/{aftercare}/afgerond/", "authority"),
    ("nazorg/{aftercare}/geannuleerd/", "authority"),
    ("nazorg/afronden/", "investigator"),
    ("benadeling/", "investigator"),
    ("benadeling/{signal}/afgehandeld/", "investigator"),
    ("besluit/", "coordinator"),
    ("hoorzitting/", "coordinator"),
    ("maatregel/", "coordinator"),
    ("ordemaatregel/", "investigator"),
    ("ordemaatregel/{order}/opheffen/", "coordinator"),
]


def test_a_wrong_role_gets_404_on_every_post(report, clients, people):
    coordinator, authority = people["coordinator"], people["authority"]
    for user in people.values():
        user.is_verified = lambda: True  # the services run as these users, second factor done
    # In the investigation every action below is possible for its role (cases.guards).
    flow = Flow(people, report=report).to(Phase.INVESTIGATION)
    flow.assign_investigator()
    flow.assign_guide()
    report = flow.report
    subject = services.record_subject(coordinator, report, description="Een inkoper")
    aftercare = services.plan_aftercare(
        coordinator, report, audience="team", description="Sessie", due_on=TODAY()
    )
    signal = services.record_disadvantage(coordinator, report, "Signaal")
    order = services.impose_order_measure(
        authority, report, subject, kind="bar", reason="Nodig", starts_on=TODAY(), ends_on=TODAY()
    )
    assignment = CaseAssignment.objects.filter(report=report).first()
    assert assignment is not None
    ids = {
        "assignment": assignment.pk,
        "subject": subject.pk,
        "aftercare": aftercare.pk,
        "signal": signal.pk,
        "order": order.pk,
    }
    before = AuditEntry.objects.count()
    for tail, wrong in WRONG_ROLE:
        url = _url(report, tail.format(**ids))
        assert clients[wrong].post(url, {}).status_code == 404, (tail, wrong)
        # Someone without any role on the case learns nothing either.
        assert clients["employee"].post(url, {}).status_code == 404, tail
    assert AuditEntry.objects.count() == before
    assert clients["employee"].get(_url(report)).status_code == 404
