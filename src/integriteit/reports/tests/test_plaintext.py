"""Nothing a reporter writes reaches the disk in the clear (SECURITY.md "Tests that prove it").

Reports go through the real views; then the SQLite database file (with its -wal/-journal), or a
pg_dump of the PostgreSQL test database, and every file under UPLOAD_ROOT are searched for the
plaintext of texts, names, messages and file contents.
"""

import io
import uuid

import pytest
from django.conf import settings
from PIL import Image, PngImagePlugin

from integriteit.reports.models import Report
from integriteit.reports.sealing import open_content, open_identity
from integriteit.testing import lookup_of, shown_code, stored_bytes, verified_client

pytestmark = pytest.mark.django_db(transaction=True)

RUN = uuid.uuid4().hex[:10].upper()
MARKERS = {
    "description": f"MARKER-DESCRIPTION-{RUN} de directeur sluist subsidies weg",
    "where": f"MARKER-WHERE-{RUN}",
    "involved": f"MARKER-INVOLVED-{RUN} Jozef Betrokkene",
    "raised_with": f"MARKER-RAISED-{RUN}",
    "name": f"Henriëtte Markervrouw{RUN}",
    "email": f"marker-{RUN.lower()}@melder.example",
    "phone": f"0612{RUN[:6]}",
    "file_name": f"MARKER-FILENAME-{RUN}",
    "file": f"MARKER-FILE-{RUN} inhoud van het bewijsstuk",
    "png_text": f"MARKER-PNG-{RUN}",
    "reply": f"MARKER-REPLY-{RUN} ik heb nog een vraag",
    "reply_file": f"MARKER-REPLYFILE-{RUN}",
    "staff_message": f"MARKER-STAFF-{RUN} kunt u meer vertellen",
    "acknowledgement": f"MARKER-ACK-{RUN} ontvangen",
}


def _png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKERS["png_text"])
    info.add_text("Author", MARKERS["name"])
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _upload(name: str, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _submit_through_views(client, people) -> tuple[Report, str]:
    response = client.post(
        "/melden/bzk/",
        {
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": MARKERS["description"],
            "occurred_when": "vorige maand",
            "occurred_where": MARKERS["where"],
            "involved_text": MARKERS["involved"],
            "involved_names": people["employee"].get_full_name(),
            "raised_before": "yes",
            "raised_with": MARKERS["raised_with"],
            "relation": "employee",
            "anonymous": "0",
            "name": MARKERS["name"],
            "email": MARKERS["email"],
            "phone": MARKERS["phone"],
            "attachments": [
                _upload(f"{MARKERS['file_name']}.txt", MARKERS["file"].encode()),
                _upload("foto.png", _png()),
            ],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.post("/melden/versturen/").status_code == 302
    page = client.get("/melden/ontvangen/").content.decode()
    code = shown_code(page)
    report = Report.objects.submitted().get(receipt_lookup=lookup_of(code))
    return report, code


def _disk_bytes() -> dict[str, bytes]:
    return stored_bytes()


def _forms_of(text: str) -> list[bytes]:
    """The ways a text could be stored: UTF-8, JSON-escaped, and hex (PostgreSQL bytea)."""
    raw = text.encode()
    forms = [raw, text.encode("unicode_escape"), raw.hex().encode()]
    # Each distinctive word on its own, so a partial leak is caught too.
    forms += [word.encode() for word in text.split() if RUN in word or "@" in word]
    return forms


def test_no_plaintext_in_database_dump_or_uploads(client, people):
    report, code = _submit_through_views(client, people)

    coordinator = verified_client(people["coordinator"])
    base = f"/behandeling/{report.pk}/"
    coordinator.post(f"{base}ontvangst/", {"text": MARKERS["acknowledgement"]})
    coordinator.post(f"{base}bericht/", {"text": MARKERS["staff_message"]})
    assert MARKERS["description"] in coordinator.get(base).content.decode()

    reporter = type(client)()
    assert reporter.post("/postbus/", {"code": code}).status_code == 302
    reply = reporter.post(
        "/postbus/berichten/",
        {
            "text": MARKERS["reply"],
            "attachments": [_upload("antwoord.txt", MARKERS["reply_file"].encode())],
        },
    )
    assert reply.status_code == 302
    mailbox = reporter.get("/postbus/berichten/").content.decode()
    assert MARKERS["staff_message"] in mailbox and MARKERS["reply"] in mailbox

    # Positive control: everything did arrive, and decrypts.
    report = Report.objects.get(pk=report.pk)
    content = open_content(report)
    assert content.description == MARKERS["description"]
    assert content.involved_text == MARKERS["involved"]
    assert open_identity(report).email == MARKERS["email"]
    assert report.attachments.count() == 3
    assert report.messages.count() == 3

    stored = _disk_bytes()
    assert any(f.startswith(str(settings.UPLOAD_ROOT)) for f in stored), "no uploads found"
    everything = b"".join(stored.values())
    # Another positive control: the clear metadata is found, so the search reads the real data.
    assert report.reference.encode() in everything

    leaks = [
        (key, where)
        for key, text in MARKERS.items()
        for form in _forms_of(text)
        for where, data in stored.items()
        if form in data
    ]
    assert not leaks, f"plaintext found on disk: {leaks}"
