"""Bad, hostile and mistaken input through the Django test client: clear errors, what was typed
is kept, and nothing is stored that should not be."""

import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from integriteit.reports.forms import DESCRIPTION_MAX
from integriteit.reports.models import Attachment, Message, Report
from integriteit.reports.views.mailbox import MAILBOX_KEY
from integriteit.reports.views.reporter import DRAFT_KEY

pytestmark = pytest.mark.django_db

UNKNOWN = "This receipt code is not known. Check it and try again."


def nl(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def report_data(**extra) -> dict:
    return {
        "kind": "integrity_violation",
        "violation_types": ["financial"],
        "description": "Facturen worden dubbel betaald.",
        "occurred_when": "voorjaar 2026",
        "occurred_where": "Kantine derde verdieping",
        "raised_before": "no",
        "relation": "employee",
        "anonymous": "1",
        **extra,
    }


def _field_errors(response, name) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def _shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def test_too_long_description_keeps_other_fields(people):
    client = Client()
    response = client.post("/melden/bzk/", report_data(description="x" * (DESCRIPTION_MAX + 1)))
    assert response.status_code == 200
    errors = _field_errors(response, "description")
    assert errors and str(DESCRIPTION_MAX + 1) in errors[0].replace(".", "")
    assert _shows(response, errors[0])
    assert _shows(response, "Kantine derde verdieping")
    assert _shows(response, "voorjaar 2026")
    assert Report.objects.count() == 0


def test_description_at_the_limit_is_accepted(people):
    response = Client().post("/melden/bzk/", report_data(description="x" * DESCRIPTION_MAX))
    assert response.status_code == 302


def test_missing_required_fields_keep_typed_values(people):
    data = report_data(description="Mijn uitgebreide verhaal over de inkoop.")
    del data["kind"], data["relation"]
    response = Client().post("/melden/bzk/", data)
    assert response.status_code == 200
    assert _field_errors(response, "kind") and _field_errors(response, "relation")
    assert _shows(response, _field_errors(response, "kind")[0])
    assert _shows(response, "Mijn uitgebreide verhaal over de inkoop.")
    assert _shows(response, "Kantine derde verdieping")
    assert Report.objects.count() == 0

    empty = Client().post("/melden/bzk/", report_data(description=""))
    assert _field_errors(empty, "description")
    assert _shows(empty, "Kantine derde verdieping")


def test_integrity_violation_without_type(people):
    response = Client().post("/melden/bzk/", report_data(violation_types=[]))
    assert response.status_code == 200
    assert _field_errors(response, "violation_types") == [
        nl("Choose at least one kind of integrity violation.")
    ]
    assert nl("Choose at least one kind of integrity violation.") in response.content.decode()
    assert Report.objects.count() == 0
    # Other kinds need no type.
    other = Client().post("/melden/bzk/", report_data(kind="wrongdoing", violation_types=[]))
    assert other.status_code == 302


def test_named_without_name(people):
    response = Client().post(
        "/melden/bzk/", report_data(anonymous="0", name="  ", email="sara@example.org")
    )
    assert response.status_code == 200
    message = nl("Give your name, or choose to report anonymously.")
    assert _field_errors(response, "name") == [message]
    assert message in response.content.decode()
    assert _shows(response, "sara@example.org")
    assert Report.objects.count() == 0


def test_invalid_email_keeps_values(people):
    response = Client().post("/melden/bzk/", report_data(anonymous="0", name="Sara", email="sara@"))
    assert _field_errors(response, "email")
    assert _shows(response, "Sara") and _shows(response, "sara@")


def test_oversized_upload_named_and_nothing_stored(people, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("groot-bestand.txt", b"x" * 2048, content_type="text/plain")
    response = Client().post("/melden/bzk/", report_data(attachments=[upload]))
    assert response.status_code == 200
    errors = _field_errors(response, "attachments")
    assert len(errors) == 1 and "groot-bestand.txt" in errors[0]
    assert _shows(response, errors[0])
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("vakantiefoto.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),
        ("vakantiefoto.jpg", b"%PDF-1.7\n1 0 obj\n"),
        ("rapport.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        ("tekening.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_disguised_or_forbidden_upload_named_and_nothing_stored(people, name, content):
    good = SimpleUploadedFile("notities.txt", b"ok")
    bad = SimpleUploadedFile(name, content)
    response = Client().post("/melden/bzk/", report_data(attachments=[good, bad]))
    assert response.status_code == 200
    errors = _field_errors(response, "attachments")
    assert len(errors) == 1 and errors[0].startswith(f"{name}: ")
    assert _shows(response, errors[0])
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABCD-1234", None),  # too short: a form error that counts the characters
        ("ABCD-1234-EFGH-567U", UNKNOWN),  # U is not in the alphabet
        ("ABCD-1234-EFGH-5678", UNKNOWN),  # right length, unknown
    ],
)
def test_invalid_receipt_codes(make_report, code, message):
    make_report()
    client = Client()
    response = client.post("/postbus/", {"code": code})
    assert response.status_code == 200
    errors = response.context["form"].errors["code"]
    if message is None:
        assert "16" in errors[0] and "8" in errors[0]
    else:
        assert errors == [nl(message)] or errors == [translation.gettext(message)]
    assert escape(errors[0]) in response.content.decode()
    assert MAILBOX_KEY not in client.session


def test_missing_csrf_token_refused(people, make_report):
    client = Client(enforce_csrf_checks=True)
    client.get("/melden/bzk/")
    assert client.post("/melden/bzk/", report_data()).status_code == 403
    assert Report.objects.count() == 0
    _report, code = make_report()
    mailbox = Client(enforce_csrf_checks=True)
    assert mailbox.post("/postbus/", {"code": code}).status_code == 403
    assert MAILBOX_KEY not in mailbox.session
    assert Report.objects.count() == 1


def _draft_with_file(client: Client, file_name: str) -> Report:
    upload = SimpleUploadedFile(file_name, b"inhoud van " + file_name.encode())
    assert client.post("/melden/bzk/", report_data(attachments=[upload])).status_code == 302
    return Report.objects.get(pk=client.session[DRAFT_KEY])


def test_tampered_remove_file_id_does_nothing_to_other_drafts(people):
    victim, attacker = Client(), Client()
    victim_draft = _draft_with_file(victim, "van-slachtoffer.txt")
    attacker_draft = _draft_with_file(attacker, "van-aanvaller.txt")
    victims_file = victim_draft.attachments.get()
    response = attacker.post("/melden/controleren/", {"remove_file": str(victims_file.pk)})
    assert response.status_code == 302
    assert Attachment.objects.filter(pk=victims_file.pk).exists()
    assert attacker_draft.attachments.count() == 1
    # Garbage ids are harmless too.
    for garbage in ("not-a-uuid", "", "1 OR 1=1"):
        assert attacker.post("/melden/controleren/", {"remove_file": garbage}).status_code == 302
    assert Attachment.objects.count() == 2
    # The owner can remove her own file.
    own = attacker_draft.attachments.get()
    attacker.post("/melden/controleren/", {"remove_file": str(own.pk)})
    assert not Attachment.objects.filter(pk=own.pk).exists()


def test_unknown_ids_and_slugs_give_404(people, staff_client, make_report):
    coordinator = staff_client(people["coordinator"])
    assert coordinator.get(f"/behandeling/{uuid.uuid4()}/").status_code == 404
    assert coordinator.get("/behandeling/niet-een-uuid/").status_code == 404
    report, _code = make_report()
    assert coordinator.get(f"/behandeling/{report.pk}/bijlage/{uuid.uuid4()}/").status_code == 404
    assert Client().get("/melden/bestaat-niet/").status_code == 404
    assert Client().post("/melden/bestaat-niet/", report_data()).status_code == 404
    assert Report.objects.count() == 1


def test_submit_only_by_post(people):
    client = Client()
    client.post("/melden/bzk/", report_data())
    assert client.get("/melden/versturen/").status_code == 405
    assert Report.objects.submitted().count() == 0


def test_failed_staff_message_loses_nothing(people, staff_client, make_report, settings):
    report, _code = make_report(files=(("bewijs.txt", b"eerste bewijs"),))
    coordinator = staff_client(people["coordinator"])
    ok = coordinator.post(
        f"/behandeling/{report.pk}/bericht/",
        {"text": "Eerste vraag.", "attachments": SimpleUploadedFile("vraag.txt", b"bijlage")},
    )
    assert ok.status_code == 302
    assert Message.objects.filter(report=report).count() == 1
    assert Attachment.objects.filter(report=report).count() == 2

    settings.ATTACHMENT_MAX_BYTES = 1024
    response = coordinator.post(
        f"/behandeling/{report.pk}/bericht/",
        {
            "text": "Tweede vraag.",
            "attachments": SimpleUploadedFile("te-groot.txt", b"x" * 4096),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "te-groot.txt" in page
    # Bad input: the case page again at the POST address, with the message as typed.
    assert not response.redirect_chain and "Tweede vraag." in page
    assert Message.objects.filter(report=report).count() == 1
    assert Attachment.objects.filter(report=report).count() == 2
    assert "Eerste vraag." in page
    first = Attachment.objects.get(report=report, message__isnull=True)
    download = coordinator.get(f"/behandeling/{report.pk}/bijlage/{first.pk}/")
    assert download.content == b"eerste bewijs"
