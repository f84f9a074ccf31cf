"""The staff screens of an investigation through the Django test client: commissioning from the
case page, the investigation page with the protocol's steps (each role only its part, 404 for
everyone else), refusals shown with their reasons, documents checked like other uploads,
deviations requested and approved, interviews, and the investigators' workload.

Pages are requested under /en/ so the reasons are matched in English (the site defaults to Dutch).
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from integriteit.audit.models import AuditEntry
from integriteit.cases import services as case_services
from integriteit.cases.constants import CaseRole
from integriteit.cases.people import person_of
from integriteit.cases.tests.flow import Flow
from integriteit.investigations import selectors, services
from integriteit.investigations.constants import StepState
from integriteit.investigations.models import (
    Interview,
    Investigation,
    InvestigationDocument,
    InvestigatorProfile,
    ReportVersion,
)
from integriteit.reports.constants import Phase

from .helpers import Investigating, fake_render  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _page_url(investigation: Investigation, tail: str = "") -> str:
    return f"/en/onderzoek/{investigation.pk}/{tail}"


def _state(investigation: Investigation, code: str) -> str:
    rec = investigation.step_records.select_related("step").get(step__code=code)
    return selectors.state_of(rec)


@pytest.fixture
def case(people):
    return Investigating(people)


# --- Commissioning from the case page ------------------------------------------------------------


def test_authority_commissions_an_investigation_on_the_case_page(people, staff_client):
    flow = Flow(people).to(Phase.INVESTIGATION)
    authority = staff_client(people["authority"])
    page = _text(authority.get(f"/en/behandeling/{flow.pk}/"))
    assert "Commission an investigation" in page
    assert str(people["investigator"]) in page
    assert "/en/onderzoek/onderzoekers/" in page

    deadline = timezone.localdate() + datetime.timedelta(days=90)
    response = authority.post(
        f"/en/behandeling/{flow.pk}/onderzoek-opdracht/",
        {
            "commission-investigators": [people["investigator"].pk],
            "commission-deadline": deadline.isoformat(),
            "commission-note": "Onderzoek naar vervalste bonnen.",
        },
    )
    investigation = Investigation.objects.get(report_id=flow.pk)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/onderzoek/{investigation.pk}/")
    assert investigation.deadline == deadline
    assert investigation.protocol == selectors.current_protocol(flow.report.organisation)
    assert list(investigation.members.values_list("user__username", flat=True)) == ["investigator"]
    assert _state(investigation, "preliminary_inquiry") == StepState.OPEN

    # The case page lists it with progress and a link; no second commission while it is open.
    page = _text(authority.get(f"/en/behandeling/{flow.pk}/"))
    assert f"/en/onderzoek/{investigation.pk}/" in page
    assert "0 of 11 steps completed" in page
    assert "Commission an investigation" not in page

    # The investigation page shows the protocol version used.
    page = _text(authority.get(_page_url(investigation)))
    assert f'data-protocol-version="{investigation.protocol.version}"' in page
    assert "Onderzoek naar vervalste bonnen." in page


def test_commission_does_not_offer_a_refused_investigator_and_refuses(people, staff_client):
    """Issue 10 defect 7: an investigator the independence check refuses is not offered."""
    flow = Flow(people).to(Phase.INVESTIGATION)
    case_services.record_subject(flow.coordinator, flow.report, person=people["employee"])
    case_services.declare_conflict(people["investigator"], people["employee"])
    authority = staff_client(people["authority"])
    page = _text(authority.get(f"/en/behandeling/{flow.pk}/"))
    assert f'name="commission-investigators" value="{people["investigator"].pk}"' not in page

    response = authority.post(
        f"/en/behandeling/{flow.pk}/onderzoek-opdracht/",
        {
            "commission-investigators": [people["investigator"].pk],
            "commission-deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "commission-note": "Opdracht.",
        },
    )
    assert response.status_code == 200  # not a valid choice: the form as typed, again
    assert not Investigation.objects.filter(report_id=flow.pk).exists()


def test_commission_form_checks_input(people, staff_client):
    flow = Flow(people).to(Phase.INVESTIGATION)
    response = staff_client(people["authority"]).post(
        f"/en/behandeling/{flow.pk}/onderzoek-opdracht/",
        {"commission-deadline": timezone.localdate().isoformat(), "commission-note": ""},
    )
    assert response.status_code == 200
    assert "Not saved: check the fields marked below." in _text(response)
    assert "The time limit must be in the future." in _text(response)
    assert not Investigation.objects.exists()


def test_only_the_competent_authority_commissions(people, staff_client):
    flow = Flow(people).to(Phase.INVESTIGATION)
    coordinator = staff_client(people["coordinator"])
    assert "Commission an investigation" not in _text(
        coordinator.get(f"/en/behandeling/{flow.pk}/")
    )
    response = coordinator.post(
        f"/en/behandeling/{flow.pk}/onderzoek-opdracht/",
        {
            "commission-investigators": [people["investigator"].pk],
            "commission-deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "commission-note": "Opdracht.",
        },
    )
    assert response.status_code == 404
    assert not Investigation.objects.exists()


# --- Who sees what ---------------------------------------------------------------------------


def test_investigation_page_for_investigators_authority_and_coordinator_only(
    people, staff_client, case
):
    investigation = case.investigation
    case.flow.assign_guide()  # on the case, but not a role in the investigation
    for username in ("investigator", "authority", "coordinator"):
        response = staff_client(people[username]).get(_page_url(investigation))
        assert response.status_code == 200, username
    for username in ("guide", "employee", "manager", "coordinator-fin", "auditor", "admin"):
        response = staff_client(people[username]).get(_page_url(investigation))
        assert response.status_code == 404, username
    assert staff_client(people["investigator"]).get("/en/onderzoek/999999/").status_code == 404


def test_page_shows_every_step_in_order_with_what_it_requires(people, staff_client, case):
    page = _text(staff_client(people["investigator"]).get(_page_url(case.investigation)))
    codes = re.findall(r'data-step="([a-z_]+)" data-state="([a-z]+)"', page)
    assert [code for code, _state in codes] == [
        rec.step.code for rec in selectors.records(case.investigation)
    ]
    assert codes[0][1] == "open" and all(state == "locked" for _code, state in codes[1:])
    assert "Establish whether there is a reasonable suspicion" in page  # guidance
    assert "Competent authority" in page and "Investigator" in page  # responsible roles
    assert "Record: Facts found in the preliminary inquiry." in page  # what is missing
    assert "Overall time limit" in page and "int-deadline--on_time" in page
    assert "Complete this step" in page

    # Urgency: the step near its limit, the overall limit passed.
    today = timezone.localdate()
    case.investigation.step_records.filter(step__code="preliminary_inquiry").update(
        due_on=today + datetime.timedelta(days=1)
    )
    Investigation.objects.filter(pk=case.pk).update(deadline=today - datetime.timedelta(days=1))
    page = _text(staff_client(people["authority"]).get(_page_url(case.investigation)))
    assert "int-deadline--near" in page and "int-deadline--overdue" in page


def test_the_page_says_due_soon_in_the_window_of_every_case_deadline(
    people, staff_client, case, settings
):
    """Issue 9 defect 4: DUE_SOON_DAYS, the window of the case page, also decides a step's "due
    soon"; before, the investigation page used its own INVESTIGATION_NEAR_DAYS (3)."""
    settings.DUE_SOON_DAYS = 9
    today = timezone.localdate()
    steps = case.investigation.step_records.filter(step__code="preliminary_inquiry")
    steps.update(due_on=today + datetime.timedelta(days=8))  # inside 9 days, outside 3
    Investigation.objects.filter(pk=case.pk).update(deadline=today + datetime.timedelta(days=10))
    page = _text(staff_client(people["authority"]).get(_page_url(case.investigation)))
    assert page.count("int-deadline--near") == 1 and "int-deadline--on_time" in page


def test_each_role_acts_only_in_its_own_steps(people, staff_client, case):
    investigation = case.investigation
    authority = staff_client(people["authority"])
    coordinator = staff_client(people["coordinator"])
    # The open step is the investigator's: others see no forms and get 404 on posting.
    page = _text(authority.get(_page_url(investigation)))
    assert "Complete this step" not in page
    values = {"values-preliminary_inquiry-facts": "Feiten."}
    assert (
        authority.post(
            _page_url(investigation, "stap/preliminary_inquiry/gegevens/"), values
        ).status_code
        == 404
    )
    assert (
        coordinator.post(_page_url(investigation, "stap/preliminary_inquiry/afronden/")).status_code
        == 404
    )
    assert selectors.values_of(case.rec("preliminary_inquiry")) == {}

    # The next step (assignment) is the competent authority's.
    case.complete("preliminary_inquiry")
    investigator = staff_client(people["investigator"])
    assert (
        investigator.post(_page_url(investigation, "stap/assignment/gegevens/"), {}).status_code
        == 404
    )
    response = authority.post(
        _page_url(investigation, "stap/assignment/gegevens/"),
        {"values-assignment-scope": "Inkoop 2025.", "values-assignment-questions": "Wie?"},
    )
    assert response.status_code == 302
    assert selectors.values_of(case.rec("assignment")) == {
        "scope": "Inkoop 2025.",
        "questions": "Wie?",
    }
    assert authority.post(_page_url(investigation, "stap/assignment/afronden/")).status_code == 302
    assert _state(investigation, "assignment") == StepState.COMPLETED
    assert _state(investigation, "plan") == StepState.OPEN


def test_completing_a_step_is_refused_with_the_reasons(people, staff_client, case):
    investigation = case.investigation
    investigator = staff_client(people["investigator"])
    response = investigator.post(
        _page_url(investigation, "stap/preliminary_inquiry/afronden/"), follow=True
    )
    assert response.redirect_chain[0][1] == 302  # never left on the POST address
    text = _text(response)
    assert "Not possible:" in text
    assert "Record: Facts found in the preliminary inquiry." in text
    assert "Record: Conclusion on admissibility and proportionality." in text
    assert _state(investigation, "preliminary_inquiry") == StepState.OPEN

    # A later step cannot be completed before its turn (it is not even the user's to act on).
    response = investigator.post(_page_url(investigation, "stap/plan/afronden/"), follow=True)
    assert "Steps are completed in order; this step is not open yet." in _text(response)

    investigator.post(
        _page_url(investigation, "stap/preliminary_inquiry/gegevens/"),
        {"values-preliminary_inquiry-facts": "Feiten."},
    )
    response = investigator.post(
        _page_url(investigation, "stap/preliminary_inquiry/afronden/"), follow=True
    )
    assert "Record: Conclusion on admissibility and proportionality." in _text(response)
    assert "Record: Facts found" not in _text(response).split("Not possible:")[1].split("</")[0]
    investigator.post(
        _page_url(investigation, "stap/preliminary_inquiry/gegevens/"),
        {"values-preliminary_inquiry-admissibility": "Ontvankelijk."},
    )
    response = investigator.post(
        _page_url(investigation, "stap/preliminary_inquiry/afronden/"), follow=True
    )
    assert "The step “Preliminary inquiry and admissibility” is completed." in _text(response)
    assert _state(investigation, "preliminary_inquiry") == StepState.COMPLETED
    assert _state(investigation, "assignment") == StepState.OPEN


# --- Documents --------------------------------------------------------------------------------


def test_documents_are_checked_like_other_uploads(people, staff_client, case):
    investigation = case.investigation
    investigator = staff_client(people["investigator"])
    url = _page_url(investigation, "stap/preliminary_inquiry/document/")
    for name, content, reason in [
        ("tool.exe", b"MZ\x90\x00", "are not accepted"),
        ("notes.pdf", b"MZ\x90\x00 not a pdf", "do not match its extension"),
        ("empty.txt", b"", "empty"),
    ]:
        response = investigator.post(
            url,
            {
                "document-preliminary_inquiry-kind": "other",
                "document-preliminary_inquiry-file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 200, name
        assert "Not saved" in _text(response)
        assert reason in _text(response), name
    assert not InvestigationDocument.objects.exists()

    response = investigator.post(
        url,
        {
            "document-preliminary_inquiry-kind": "other",
            "document-preliminary_inquiry-file": SimpleUploadedFile(
                "bevindingen.txt", b"Bevindingen van het vooronderzoek."
            ),
        },
        follow=True,
    )
    assert "The document is added to the file." in _text(response)
    document = InvestigationDocument.objects.get()
    assert document.kind == "other" and document.uploaded_by == people["investigator"]
    assert "bevindingen.txt" in _text(response)  # the name is opened for the page

    # The competent authority does not add documents to the investigator's step.
    response = staff_client(people["authority"]).post(
        url,
        {
            "document-preliminary_inquiry-kind": "other",
            "document-preliminary_inquiry-file": SimpleUploadedFile("x.txt", b"tekst"),
        },
    )
    assert response.status_code == 404


# --- Deviations ------------------------------------------------------------------------------


def test_deviation_requested_by_investigator_and_approved_by_authority(people, staff_client, case):
    case.advance_to("inform_subject")
    investigation = case.investigation
    investigator = staff_client(people["investigator"])
    authority = staff_client(people["authority"])
    assert "Request a deviation from this step" in _text(investigator.get(_page_url(investigation)))

    response = investigator.post(
        _page_url(investigation, "stap/inform_subject/afwijking/"),
        {"deviation-inform_subject-reason": ""},
    )
    assert response.status_code == 200 and "Not saved" in _text(response)

    reason = "Later informeren om bewijs veilig te stellen."
    response = investigator.post(
        _page_url(investigation, "stap/inform_subject/afwijking/"),
        {"deviation-inform_subject-reason": reason},
    )
    assert response.status_code == 302
    # The investigator cannot approve their own request.
    assert (
        investigator.post(
            _page_url(investigation, "stap/inform_subject/afwijking/goedkeuren/")
        ).status_code
        == 404
    )
    page = _text(authority.get(_page_url(investigation)))
    assert "Approve the deviation" in page and reason in page
    response = authority.post(
        _page_url(investigation, "stap/inform_subject/afwijking/goedkeuren/"), follow=True
    )
    assert "is approved" in _text(response)
    assert _state(investigation, "inform_subject") == StepState.DEFERRED
    assert _state(investigation, "interviews") == StepState.OPEN

    # A step without the possibility of a deviation offers none and refuses one.
    response = investigator.post(
        _page_url(investigation, "stap/interviews/afwijking/"),
        {"deviation-interviews-reason": "Geen tijd."},
        follow=True,
    )
    assert "The protocol allows no deviation in this step." in _text(response)


# --- Interviews and reports ------------------------------------------------------------------


@pytest.mark.usefixtures("fake_render")
def test_interviews_planned_and_recorded_on_the_page(people, staff_client, case):
    case.advance_to("interviews")
    investigation = case.investigation
    investigator = staff_client(people["investigator"])
    page = _text(investigator.get(_page_url(investigation)))
    assert "Plan an interview: Witness" in page and "Plan an interview: Subject" in page
    assert "You may bring an adviser or counsel of your choice." in page  # prefilled invitation

    planned = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = investigator.post(
        _page_url(investigation, "gesprek/subject/"),
        {
            "plan-subject-subject": case.subject.pk,
            "plan-subject-planned_at": planned,
            "plan-subject-invitation": services.default_invitation("subject"),
        },
    )
    assert response.status_code == 302
    response = investigator.post(
        _page_url(investigation, "gesprek/witness/"),
        {"plan-witness-planned_at": planned, "plan-witness-invitation": "Uitnodiging."},
    )
    assert "Choose the interviewee or describe them." in _text(response)
    interview = Interview.objects.get()
    assert person_of(interview, "interviewee") == people["employee"] and interview.invited_at

    response = investigator.post(
        _page_url(investigation, f"gesprek/{interview.pk}/verslag/"),
        {f"record-{interview.pk}-text": "Het verslag.", f"record-{interview.pk}-adviser": "Mr. X"},
        follow=True,
    )
    assert "offered to the interviewee for approval" in _text(response)
    interview.refresh_from_db()
    assert interview.record_offered_at
    assert selectors.open_on(interview, "sealed_adviser") == "Mr. X"
    assert "Waiting for approval or comments until" in _text(response)
    # The authority sees the status but plans nothing.
    assert (
        staff_client(people["authority"])
        .post(_page_url(investigation, "gesprek/witness/"), {})
        .status_code
        == 404
    )


@pytest.mark.usefixtures("fake_render")
def test_draft_generated_and_offered_from_the_page(people, staff_client, case):
    case.advance_to("draft_report")
    investigation = case.investigation
    investigator = staff_client(people["investigator"])
    assert "Generate the draft report" in _text(investigator.get(_page_url(investigation)))
    response = investigator.post(_page_url(investigation, "rapport/draft/"), follow=True)
    assert "The report is generated." in _text(response)
    version = ReportVersion.objects.get()
    assert f'data-version="{version.pk}"' in _text(response)
    assert f"/onderzoek/{investigation.pk}/rapport/{version.pk}/pdf/" in _text(response)
    response = investigator.post(_page_url(investigation, "concept-aanbieden/"), follow=True)
    assert "Not possible:" in _text(response)  # offered in the step "Response of the subject"

    case.complete("draft_report", satisfy=False)
    assert "Offer the draft to the subject" in _text(investigator.get(_page_url(investigation)))
    response = investigator.post(_page_url(investigation, "concept-aanbieden/"), follow=True)
    assert "offered to the subject" in _text(response)
    version.refresh_from_db()
    assert version.offered_to_subject_at is not None


# --- Investigators and workload --------------------------------------------------------------


def _workload(client) -> dict[str, tuple[int, int]]:
    page = _text(client.get("/en/onderzoek/onderzoekers/"))
    rows = re.findall(
        r'data-investigator="([^"]+)".*?data-open-investigations>(\d+)<.*?data-open-steps>(\d+)<',
        page,
        re.S,
    )
    return {name: (int(inv), int(steps)) for name, inv, steps in rows}


def test_workload_counts_open_investigations_and_steps(people, staff_client):
    coordinator = staff_client(people["coordinator"])
    assert _workload(coordinator) == {"investigator": (0, 0)}

    first = Investigating(people)
    second = Investigating(people)
    assert _workload(coordinator) == {"investigator": (2, 2)}

    # A deferred step stays open work next to the step that opens after it.
    second.advance_to("inform_subject")
    services.request_deviation(
        second.flow.investigator, second.investigation, "inform_subject", "Bewijs veiligstellen."
    )
    services.approve_deviation(second.flow.authority, second.investigation, "inform_subject")
    assert _workload(coordinator) == {"investigator": (2, 3)}
    assert _workload(staff_client(people["authority"])) == {"investigator": (2, 3)}

    # An investigator who leaves an investigation no longer counts it.
    first.investigation.members.update(ended_at=timezone.now())
    assert _workload(coordinator) == {"investigator": (1, 2)}


def test_workload_only_for_coordinators_and_competent_authorities(people, staff_client):
    for username in ("investigator", "employee", "guide", "auditor"):
        assert staff_client(people[username]).get("/en/onderzoek/onderzoekers/").status_code == 404
    # The coordinator of another organisation sees only their own (none here).
    assert _workload(staff_client(people["coordinator-fin"])) == {}


def test_investigator_profile_edited_on_the_workload_page(people, staff_client):
    coordinator = staff_client(people["coordinator"])
    person = people["investigator"]
    url = f"/en/onderzoek/onderzoekers/{person.pk}/profiel/"
    response = coordinator.post(
        url,
        {f"profile-{person.pk}-kind": "external", f"profile-{person.pk}-bureau": "Bureau X"},
        follow=True,
    )
    assert "is saved" in _text(response)
    profile = InvestigatorProfile.objects.get(user=person)
    assert (profile.kind, profile.bureau) == ("external", "Bureau X")
    assert "External investigation bureau, Bureau X" in _text(response)

    response = coordinator.post(url, {f"profile-{person.pk}-kind": "nonsense"})
    assert response.status_code == 200 and "Not saved" in _text(response)
    # Not an investigator of the organisation: 404.
    other = people["employee"]
    assert (
        coordinator.post(
            f"/en/onderzoek/onderzoekers/{other.pk}/profiel/",
            {f"profile-{other.pk}-kind": "internal"},
        ).status_code
        == 404
    )
    assert (
        staff_client(people["investigator"])
        .post(url, {f"profile-{person.pk}-kind": "internal"})
        .status_code
        == 404
    )


def test_assigned_investigator_role_kept_after_commission(people, case):
    assert case.flow.has_role(people["investigator"], CaseRole.INVESTIGATOR)


def test_investigator_profiles_in_the_admin():
    assert admin.site.is_registered(InvestigatorProfile)


class AuditDown(Exception):
    """The audit log failing in the middle of a write."""


def test_a_failed_audit_entry_leaves_no_profile_half_written(people, staff_client, monkeypatch):
    """The profile and its audit entry are one transaction (issue 9 defect 8): when the entry
    cannot be written, the profile is not stored either."""

    def refuse(entry, *args, **kwargs):
        raise AuditDown

    person = people["investigator"]
    client = staff_client(people["coordinator"])
    monkeypatch.setattr(AuditEntry, "save", refuse)
    with pytest.raises(AuditDown):
        client.post(
            f"/en/onderzoek/onderzoekers/{person.pk}/profiel/",
            {f"profile-{person.pk}-kind": "external", f"profile-{person.pk}-bureau": "Bureau X"},
        )
    assert not InvestigatorProfile.objects.filter(user=person).exists()
