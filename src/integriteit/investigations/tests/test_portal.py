"""The portal for people asked to cooperate (issue 4; RULES R10, R12): the subject is informed of
the investigation and their rights, can bring an adviser, approves or comments on the records of
their own interviews within the term (after which the record counts as accepted), and responds to
the draft report once before it is final; witnesses do the same for their own record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from integriteit.audit.models import AuditEntry
from integriteit.investigations import selectors, services
from integriteit.investigations.models import Interview, ReportVersion

from .portal_case import (
    SUBJECT_INVITATION,
    SUBJECT_RECORD,
    WITNESS_INVITATION,
    WITNESS_RECORD,
    PortalCase,
    fake_render,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(people, fake_render):  # noqa: F811
    return PortalCase(people)


def portal() -> str:
    return reverse("investigations:portal")


def approve_url(interview) -> str:
    return reverse("investigations:portal_approve_record", kwargs={"interview_id": interview.pk})


def comment_url(interview) -> str:
    return reverse("investigations:portal_comment_record", kwargs={"interview_id": interview.pk})


def respond_url(version) -> str:
    return reverse("investigations:portal_respond", kwargs={"version_id": version.pk})


def test_the_portal_needs_the_second_factor(case, client):
    assert client.get(portal()).status_code == 302
    client.force_login(case.subject_person)
    response = client.get(portal())
    assert response.status_code == 302
    assert "second" in response["Location"] or "tweede" in response["Location"]


def test_the_subject_sees_the_invitation_with_their_rights_before_the_record(case, staff_client):
    client = staff_client(case.subject_person)
    response = client.get(portal())
    page = response.content.decode()
    assert response.status_code == 200
    assert "investigations:portal" in {entry.url_name for entry in response.context["navigation"]}
    assert reverse("investigations:portal") in page  # "My investigations" in the header
    assert SUBJECT_INVITATION in page
    assert "This investigation is about you" in page
    # RULES R12: the protocol; R10: an adviser of choice, approval of records, the hearing.
    assert "protocol" in page and "Informing the subject and their rights" in page
    assert "adviser or counsel of your choice" in page
    assert "approve it or comment on it within 10 days" in page
    assert "heard on the draft report before it is final" in page
    assert "The record is offered to you after the interview." in page
    assert approve_url(case.subject_interview) not in page  # nothing to approve yet


def test_the_subject_approves_the_record_of_their_interview(case, staff_client):
    case.record_interviews()
    client = staff_client(case.subject_person)
    page = client.get(portal()).content.decode()
    due = case.interview(case.subject_interview).response_due
    assert SUBJECT_RECORD in page and "Mr. A. Raadsman" in page
    assert "counts as accepted" in page
    assert f"by {due:%-d %B %Y}" in page
    assert approve_url(case.subject_interview) in page
    assert comment_url(case.subject_interview) in page

    response = client.post(approve_url(case.subject_interview))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#gesprek-{case.subject_interview.pk}")
    interview = case.interview(case.subject_interview)
    assert interview.approved_at is not None
    assert AuditEntry.objects.filter(action="investigation.record_approved").count() == 1
    page = client.get(portal()).content.decode()
    assert "You approved this record on" in page
    assert approve_url(case.subject_interview) not in page
    # Approving twice is refused with the reason; nothing changes.
    response = client.post(approve_url(case.subject_interview), follow=True)
    assert "You already approved this record." in response.content.decode()
    assert case.interview(case.subject_interview).approved_at == interview.approved_at


def test_the_witness_comments_on_their_own_record(case, staff_client):
    case.record_interviews()
    client = staff_client(case.witness)
    page = client.get(portal()).content.decode()
    assert WITNESS_INVITATION in page and WITNESS_RECORD in page
    assert "You are asked to cooperate as a witness." in page
    assert "heard on the draft report" not in page

    # An empty comment is refused next to the field.
    response = client.post(comment_url(case.witness_interview), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert case.interview(case.witness_interview).commented_at is None

    prefix = f"record-{case.witness_interview.pk}"
    response = client.post(
        comment_url(case.witness_interview), {f"{prefix}-comment": "Ik zag twee bonnen, niet drie."}
    )
    assert response.status_code == 302
    interview = case.interview(case.witness_interview)
    assert interview.commented_at is not None
    assert selectors.open_on(interview, "sealed_comment") == "Ik zag twee bonnen, niet drie."
    page = client.get(portal()).content.decode()
    assert "Ik zag twee bonnen, niet drie." in page
    assert comment_url(case.witness_interview) not in page  # one comment per record version
    # Approving after commenting is still possible.
    assert client.post(approve_url(case.witness_interview)).status_code == 302
    assert case.interview(case.witness_interview).approved_at is not None


def test_after_the_term_the_record_counts_as_accepted(case, staff_client):
    case.record_interviews()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Interview.objects.filter(pk=case.subject_interview.pk).update(response_due=yesterday)
    client = staff_client(case.subject_person)
    page = client.get(portal()).content.decode()
    assert "the record counts as accepted" in page
    assert approve_url(case.subject_interview) not in page
    assert comment_url(case.subject_interview) not in page
    response = client.post(approve_url(case.subject_interview), follow=True)
    assert "the term has passed" in response.content.decode()
    assert case.interview(case.subject_interview).approved_at is None
    # The investigator may go on: the interviews step no longer waits for this record.
    services.approve_record(case.witness, case.interview(case.witness_interview))
    case.complete("interviews")


def test_the_subject_responds_to_the_offered_draft_once(case, staff_client):
    draft = case.to_draft()
    client = staff_client(case.subject_person)
    assert f'id="rapport-{draft.pk}"' not in client.get(portal()).content.decode()  # not offered
    assert client.post(respond_url(draft), {}).status_code == 404

    draft = case.offer_draft()
    page = client.get(portal()).content.decode()
    assert "Draft report offered to you on" in page
    assert f"until {draft.response_due:%-d %B %Y}" in page
    assert respond_url(draft) in page
    assert case.report.reference not in page

    prefix = f"draft-{draft.pk}"
    response = client.post(respond_url(draft), {f"{prefix}-response": ""})
    assert response.status_code == 200
    assert ReportVersion.objects.get(pk=draft.pk).responded_at is None

    response = client.post(respond_url(draft), {f"{prefix}-response": "Mijn eerste reactie."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rapport-{draft.pk}")
    draft.refresh_from_db()
    assert draft.responded_at is not None
    assert selectors.open_on(draft, "sealed_subject_response") == "Mijn eerste reactie."

    # A second response is refused; the first stays.
    response = client.post(
        respond_url(draft), {f"{prefix}-response": "Toch iets anders."}, follow=True
    )
    assert "You already responded to this draft." in response.content.decode()
    draft.refresh_from_db()
    assert selectors.open_on(draft, "sealed_subject_response") == "Mijn eerste reactie."
    page = client.get(portal()).content.decode()
    assert "Mijn eerste reactie." in page and respond_url(draft) not in page
    assert AuditEntry.objects.filter(action="investigation.subject_responded").count() == 1


def test_no_response_after_the_draft_term(case, staff_client):
    case.to_draft()
    draft = case.offer_draft()
    ReportVersion.objects.filter(pk=draft.pk).update(
        response_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = staff_client(case.subject_person)
    page = client.get(portal()).content.decode()
    assert "The term for your response ended on" in page
    assert respond_url(draft) not in page
    response = client.post(
        respond_url(draft), {f"draft-{draft.pk}-response": "Te laat."}, follow=True
    )
    assert "the term for your response has passed" in response.content.decode()
    assert ReportVersion.objects.get(pk=draft.pk).responded_at is None


def test_the_subject_sees_the_final_report(case, staff_client):
    case.to_draft()
    draft = case.offer_draft()
    services.respond_to_draft(case.subject_person, draft, "Mijn reactie.")
    earlier = case.to_final(complete=False)
    client = staff_client(case.subject_person)
    assert f'id="rapport-{earlier.pk}"' not in client.get(portal()).content.decode()  # in work
    final = services.generate_report(case.investigator, case.investigation, "final")
    case.complete("final_report", advice="Advies aan het bevoegd gezag.")
    page = client.get(portal()).content.decode()
    assert f'id="rapport-{earlier.pk}"' not in page  # only the report decided on
    assert f'id="rapport-{final.pk}"' in page
    assert "Final report of" in page
    assert f'id="rapport-{draft.pk}"' in page  # the draft with the response stays listed
    # The witness sees neither report.
    page = staff_client(case.witness).get(portal()).content.decode()
    assert f'id="rapport-{final.pk}"' not in page and f'id="rapport-{draft.pk}"' not in page
    assert "Final report of" not in page and "Draft report offered" not in page
