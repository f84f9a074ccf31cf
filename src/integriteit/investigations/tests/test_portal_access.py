"""Access in the investigation portal (issue 4 "It must show"; RULES R7, R12; SYSTEM.md "Need to
know"): the subject sees only what concerns them (invitations, their own records, the draft and
final report); witnesses only their own invitation and record; the portal never opens the case,
and nobody sees the reporter's identity there. Anything else is 404, never 403."""

import pytest
from django.urls import reverse
from django.utils import translation

from integriteit.access import rules
from integriteit.access.rules import Action
from integriteit.cases.tests.flow import verified
from integriteit.investigations import access, services

from .portal_case import (
    DESCRIPTION,
    FINDINGS,
    REPORTER_EMAIL,
    REPORTER_NAME,
    SUBJECT_INVITATION,
    SUBJECT_RECORD,
    WITNESS_INVITATION,
    WITNESS_RECORD,
    PortalCase,
    fake_render,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db

TAMPERED = 987654


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(people, fake_render):  # noqa: F811
    case = PortalCase(people)
    case.record_interviews()
    return case


def _object_requests(client, case, draft=None) -> dict:
    """Every portal action on the objects of the case, and the case page itself."""
    subject, witness = case.subject_interview, case.witness_interview
    requests = {
        "case": lambda: client.get(reverse("cases:detail", kwargs={"report_id": case.report.pk})),
        "approve subject record": lambda: client.post(
            reverse("investigations:portal_approve_record", kwargs={"interview_id": subject.pk})
        ),
        "comment subject record": lambda: client.post(
            reverse("investigations:portal_comment_record", kwargs={"interview_id": subject.pk}),
            {f"record-{subject.pk}-comment": "Niet mijn verslag."},
        ),
        "approve witness record": lambda: client.post(
            reverse("investigations:portal_approve_record", kwargs={"interview_id": witness.pk})
        ),
        "comment witness record": lambda: client.post(
            reverse("investigations:portal_comment_record", kwargs={"interview_id": witness.pk}),
            {f"record-{witness.pk}-comment": "Niet mijn verslag."},
        ),
    }
    if draft is not None:
        requests["respond to draft"] = lambda: client.post(
            reverse("investigations:portal_respond", kwargs={"version_id": draft.pk}),
            {f"draft-{draft.pk}-response": "Niet mijn rapport."},
        )
    return requests


def _not_found(client, case, names, draft=None) -> None:
    requests = _object_requests(client, case, draft)
    for name in names:
        assert requests[name]().status_code == 404, name


def _reveals_nothing_of_the_case(page: str, case) -> None:
    """No reporter identity (R7), no case contents, no reference."""
    for secret in (REPORTER_NAME, REPORTER_EMAIL, DESCRIPTION, FINDINGS, case.report.reference):
        assert secret not in page, secret


def _state(case) -> list:
    """What a refused request must leave as it was: approvals, comments, the draft response."""
    interviews = [case.interview(i) for i in (case.subject_interview, case.witness_interview)]
    state = [(i.approved_at, i.commented_at, bytes(i.sealed_comment or b"")) for i in interviews]
    return state + list(case.investigation.report_versions.values_list("responded_at", flat=True))


def test_access_functions(case):
    subject, witness = case.subject_person, case.witness
    other = verified(case.people["manager"])
    assert list(access.interviews_visible_to(subject)) == [case.interview(case.subject_interview)]
    assert list(access.interviews_visible_to(witness)) == [case.interview(case.witness_interview)]
    assert not access.interviews_visible_to(other).exists()
    assert not access.interviews_visible_to(case.investigator).exists()
    # The second factor comes first.
    unverified = type(subject).objects.get(pk=subject.pk)
    unverified.is_verified = lambda: False
    assert not access.interviews_visible_to(unverified).exists()

    case.to_draft()
    assert not access.report_versions_visible_to(subject).exists()  # not offered yet
    draft = case.offer_draft()
    assert list(access.report_versions_visible_to(subject)) == [draft]
    for person in (witness, other, case.investigator):
        assert not access.report_versions_visible_to(person).exists()
    services.respond_to_draft(subject, draft, "Reactie.")
    final = case.to_final()
    assert list(access.report_versions_visible_to(subject).order_by("generated_at")) == [
        draft,
        final,
    ]
    assert not access.report_versions_visible_to(witness).exists()
    assert not access.report_versions_visible_to(unverified).exists()

    # None of this opens the case: the subject stays excluded, the witness has no role.
    for person in (subject, witness, other):
        assert not rules.reports_visible_to(person).filter(pk=case.report.pk).exists()
        assert not rules.can(person, Action.VIEW, case.report)
        assert not rules.can(person, Action.VIEW_IDENTITY, case.report)


def test_the_subject_sees_only_what_concerns_them(case, staff_client):
    client = staff_client(case.subject_person)
    page = client.get(reverse("investigations:portal")).content.decode()
    assert SUBJECT_INVITATION in page and SUBJECT_RECORD in page
    assert WITNESS_INVITATION not in page and WITNESS_RECORD not in page
    assert case.witness.get_full_name() not in page  # no other interviewees
    _reveals_nothing_of_the_case(page, case)
    before = _state(case)
    _not_found(client, case, ["case", "approve witness record", "comment witness record"])
    assert _state(case) == before


def test_the_witness_sees_only_their_own_record(case, staff_client):
    case.to_draft()
    draft = case.offer_draft()
    client = staff_client(case.witness)
    page = client.get(reverse("investigations:portal")).content.decode()
    assert WITNESS_INVITATION in page and WITNESS_RECORD in page
    assert SUBJECT_INVITATION not in page and SUBJECT_RECORD not in page
    assert case.subject_person.get_full_name() not in page
    assert f'id="rapport-{draft.pk}"' not in page and "Draft report offered" not in page
    _reveals_nothing_of_the_case(page, case)
    before = _state(case)
    _not_found(
        client,
        case,
        ["case", "approve subject record", "comment subject record", "respond to draft"],
        draft,
    )
    assert _state(case) == before


def test_the_subject_report_pages_reveal_nothing_of_the_case(case, staff_client):
    case.to_draft()
    draft = case.offer_draft()
    services.respond_to_draft(case.subject_person, draft, "Reactie.")
    case.to_final()
    client = staff_client(case.subject_person)
    page = client.get(reverse("investigations:portal")).content.decode()
    _reveals_nothing_of_the_case(page, case)
    assert WITNESS_RECORD not in page
    assert client.get(
        reverse("cases:detail", kwargs={"report_id": case.report.pk})
    ).status_code == (404)


def test_another_employee_sees_nothing(case, staff_client):
    case.to_draft()
    draft = case.offer_draft()
    before = _state(case)
    for username in ("manager", "employee-fin"):
        client = staff_client(case.people[username])
        response = client.get(reverse("investigations:portal"))
        assert response.status_code == 200
        shown = {entry.url_name for entry in response.context["navigation"]}
        assert "investigations:portal" not in shown
        page = response.content.decode()
        assert "There is nothing here for you" in page
        assert SUBJECT_INVITATION not in page and WITNESS_INVITATION not in page
        _not_found(client, case, list(_object_requests(client, case, draft)), draft)
    assert _state(case) == before


def test_tampered_ids_give_404(case, staff_client):
    case.to_draft()
    draft = case.offer_draft()
    client = staff_client(case.subject_person)
    for name, kwargs in (
        ("investigations:portal_approve_record", {"interview_id": TAMPERED}),
        ("investigations:portal_comment_record", {"interview_id": TAMPERED}),
        ("investigations:portal_respond", {"version_id": TAMPERED}),
    ):
        assert client.post(reverse(name, kwargs=kwargs), {"x": "y"}).status_code == 404, name
    # A final report cannot be "responded to" through the draft URL.
    services.respond_to_draft(case.subject_person, draft, "Reactie.")
    final = case.to_final()
    response = client.post(
        reverse("investigations:portal_respond", kwargs={"version_id": final.pk}),
        {f"draft-{final.pk}-response": "Op het eindrapport."},
    )
    assert response.status_code == 404
    # The portal's actions are POST only.
    url = reverse(
        "investigations:portal_approve_record", kwargs={"interview_id": case.subject_interview.pk}
    )
    assert client.get(url).status_code == 405


def test_the_subject_downloads_the_offered_draft_and_the_witness_cannot(people, staff_client):
    """With the real report generator: the portal links the PDF of the offered draft."""
    case = PortalCase(people)
    case.to_draft()
    draft = case.offer_draft()
    url = reverse(
        "investigations:report_pdf",
        kwargs={"investigation_id": draft.investigation_id, "version_id": draft.pk},
    )
    client = staff_client(case.subject_person)
    assert url in client.get(reverse("investigations:portal")).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert staff_client(case.witness).get(url).status_code == 404
    assert staff_client(case.people["manager"]).get(url).status_code == 404
