"""A tampered ciphertext in an investigation is skipped and flagged, never a server error (issue
8 item 10): the investigation page and the portal show the rest with a plain note, and
`integrity.alert` is in the audit trail."""

import pytest

from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.test_damaged_records import NOTE, tamper
from integriteit.investigations.models import Interview, Investigation

from .portal_case import SUBJECT_INVITATION, WITNESS_INVITATION, PortalCase, fake_render  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people, fake_render):  # noqa: F811
    return PortalCase(people)


def _flagged() -> set[tuple[str, str]]:
    return set(
        AuditEntry.objects.filter(action="integrity.alert").values_list("object_type", "object_id")
    )


def test_investigation_page_shows_the_rest_when_a_record_is_tampered(people, staff_client, case):
    tamper(case.investigation, "sealed_assignment")
    tamper(case.witness_interview, "sealed_invitation")  # not shown to staff: not flagged
    response = staff_client(people["investigator"]).get(f"/en/onderzoek/{case.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTE in page
    assert "Onderzoek naar het vervalsen van bonnen." not in page
    assert "Inkoop 2024." in page  # the step records are still shown
    assert _flagged() == {("investigation", str(case.pk))}


def test_portal_shows_the_rest_when_an_invitation_is_tampered(people, staff_client, case):
    subject_interview = Interview.objects.get(pk=case.subject_interview.pk)
    tamper(subject_interview, "sealed_invitation")
    response = staff_client(people["employee"]).get("/en/mijn-onderzoek/")
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTE in page
    assert SUBJECT_INVITATION not in page
    assert _flagged() == {("interview", str(subject_interview.pk))}
    witness = staff_client(case.witness).get("/en/mijn-onderzoek/")
    assert WITNESS_INVITATION in witness.content.decode()
    assert Investigation.objects.count() == 1


def test_download_of_a_tampered_document_gives_a_clear_page(people, staff_client, case):
    from django.urls import reverse

    from integriteit.investigations import services
    from integriteit.investigations.storage import path_of
    from integriteit.reports.attachments import clean
    from integriteit.ui.integrity import UNREADABLE_STATUS

    document = services.upload_document(
        case.investigator,
        case.investigation,
        "interviews",
        "other",
        clean("stuk.txt", b"Een stuk voor het dossier."),
    )
    path = path_of(document)
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0x01
    path.write_bytes(bytes(blob))
    url = reverse(
        "investigations:document",
        kwargs={"investigation_id": case.pk, "document_id": document.pk},
    )
    response = staff_client(people["investigator"]).get(url)
    assert response.status_code == UNREADABLE_STATUS
    assert "Content-Disposition" not in response
    assert ("investigationdocument", str(document.pk)) in _flagged()
