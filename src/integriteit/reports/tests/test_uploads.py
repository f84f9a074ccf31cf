"""Uploads are kept in memory and never spooled to a temporary file in clear (issue 8 item 9);
what is beyond the limits is refused with a field error, and what was typed is kept.

Every upload path is covered: the report form, the reporter's reply in the mailbox, the staff
message, the staff registration (investigation documents: investigations/tests/
test_upload_limits.py). `no_upload_spooling` fails a test as soon as Django writes an upload to
a temporary file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from integriteit.reports.models import Attachment, Message, Report
from integriteit.reports.sealing import read_attachment, sealer_for

from .test_bad_input import report_data

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
# Over Django's default FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), under ATTACHMENT_MAX_BYTES.
LARGE = b"Aantekeningen over de inkoop.\n" * (3 * MIB // 30)


def _errors(response) -> list[str]:
    return list(response.context["form"].errors.get("attachments", []))


def _stored(report: Report) -> list[bytes]:
    sealer = sealer_for(report)
    return [read_attachment(a, sealer) for a in report.attachments.all()]


def test_large_upload_on_the_report_form_stays_in_memory(people, no_upload_spooling):
    client = Client()
    upload = SimpleUploadedFile("aantekeningen.txt", LARGE)
    assert client.post("/en/melden/bzk/", report_data(attachments=[upload])).status_code == 302
    assert _stored(Report.objects.get()) == [LARGE]


def test_oversized_upload_refused_with_a_message_and_the_text_kept(
    people, settings, no_upload_spooling
):
    settings.ATTACHMENT_MAX_BYTES = 3 * MIB
    upload = SimpleUploadedFile("opname.wav", b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * (4 * MIB))
    response = Client().post(
        "/en/melden/bzk/", report_data(description="Wat ik hoorde.", attachments=[upload])
    )
    assert response.status_code == 200
    assert _errors(response) == ["opname.wav: the file is larger than 3 MB."]
    page = response.content.decode()
    assert "opname.wav: the file is larger than 3 MB." in page
    assert "Wat ik hoorde." in page and "Kantine derde verdieping" in page
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_files_beyond_the_request_limit_refused_one_by_one(people, settings, no_upload_spooling):
    settings.UPLOAD_MAX_REQUEST_BYTES = 5 * MIB
    files = [SimpleUploadedFile(f"deel-{n}.txt", LARGE) for n in (1, 2)]
    response = Client().post("/en/melden/bzk/", report_data(attachments=files))
    assert response.status_code == 200
    assert _errors(response) == [
        "deel-2.txt: The files together are larger than 5.0\xa0MB; this one was not received."
    ]
    assert "Kantine derde verdieping" in response.content.decode()
    assert Report.objects.count() == 0


def test_too_many_files_get_a_field_error_not_a_bare_400(people, settings):
    files = [
        SimpleUploadedFile(f"bijlage-{n}.txt", b"inhoud")
        for n in range(settings.ATTACHMENT_MAX_COUNT + 1)
    ]
    response = Client().post("/en/melden/bzk/", report_data(attachments=files))
    assert response.status_code == 200
    assert _errors(response) == [f"You can add at most {settings.ATTACHMENT_MAX_COUNT} files."]
    assert "Kantine derde verdieping" in response.content.decode()
    assert Report.objects.count() == 0


def test_refused_upload_has_no_contents_to_store(people, settings):
    """A form that forgot to check for a refusal cannot store an empty file by mistake."""
    from integriteit.ui.uploads import RefusedUpload

    refused = RefusedUpload("groot.pdf", 20 * MIB, "too large", "attachments")
    assert refused.size == 20 * MIB
    with pytest.raises(ValueError, match="no contents"):
        refused.read()


def test_large_upload_in_the_mailbox_stays_in_memory(make_report, no_upload_spooling):
    report, code = make_report()
    client = Client()
    client.post("/postbus/", {"code": code})
    upload = SimpleUploadedFile("nagekomen.txt", LARGE)
    response = client.post(
        "/postbus/berichten/", {"text": "Nog een bestand.", "attachments": upload}
    )
    assert response.status_code == 302
    assert _stored(report) == [LARGE]


def test_oversized_upload_in_the_mailbox_refused_with_the_text_kept(
    make_report, settings, no_upload_spooling
):
    settings.ATTACHMENT_MAX_BYTES = 1 * MIB
    _report, code = make_report()
    client = Client()
    client.post("/postbus/", {"code": code})
    upload = SimpleUploadedFile("nagekomen.txt", LARGE)
    response = client.post(
        "/en/postbus/berichten/", {"text": "Mijn antwoord op uw vraag.", "attachments": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "nagekomen.txt: the file is larger than 1 MB." in page
    assert "Mijn antwoord op uw vraag." in page
    assert Message.objects.count() == 0


def test_large_upload_in_a_staff_message_stays_in_memory(
    people, staff_client, make_report, no_upload_spooling
):
    report, _code = make_report()
    coordinator = staff_client(people["coordinator"])
    response = coordinator.post(
        f"/behandeling/{report.pk}/bericht/",
        {"text": "Hierbij het verslag.", "attachments": SimpleUploadedFile("verslag.txt", LARGE)},
    )
    assert response.status_code == 302
    assert _stored(report) == [LARGE]


def test_large_upload_in_a_staff_registration_stays_in_memory(
    people, staff_client, no_upload_spooling
):
    coordinator = staff_client(people["coordinator"])
    response = coordinator.post(
        "/behandeling/registreren/",
        {
            "channel": "coordinator",
            "form": "written",
            "received_on": "2026-11-20",
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": "Vervalste declaraties",
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
            "attachments": SimpleUploadedFile("brief.txt", LARGE),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _stored(Report.objects.get()) == [LARGE]
