"""Investigation documents are uploaded like attachments: kept in memory, never spooled to a
temporary file in clear, and refused with a message beyond the limits (issue 8 item 9)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from integriteit.investigations.models import InvestigationDocument
from integriteit.investigations.storage import read_sealed_file

from .helpers import Investigating

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
LARGE = b"Verslag van het vooronderzoek.\n" * (3 * MIB // 31)


def _upload(client, investigation, name: str, content: bytes):
    return client.post(
        f"/en/onderzoek/{investigation.pk}/stap/preliminary_inquiry/document/",
        {
            "document-preliminary_inquiry-kind": "other",
            "document-preliminary_inquiry-file": SimpleUploadedFile(name, content),
        },
    )


def test_large_document_stays_in_memory(people, staff_client, no_upload_spooling):
    investigation = Investigating(people).investigation
    response = _upload(staff_client(people["investigator"]), investigation, "verslag.txt", LARGE)
    assert response.status_code == 302
    assert read_sealed_file(InvestigationDocument.objects.get()) == LARGE


def test_oversized_document_refused_with_a_message(
    people, staff_client, settings, no_upload_spooling
):
    settings.ATTACHMENT_MAX_BYTES = 1 * MIB
    investigation = Investigating(people).investigation
    response = _upload(staff_client(people["investigator"]), investigation, "verslag.txt", LARGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in page
    assert "verslag.txt: The file is larger than 1.0\xa0MB." in page
    assert not InvestigationDocument.objects.exists()
