"""Invalid UTF-8 in a form is refused with a clear 400 page in the user's language, and nothing is
stored garbled (issue 8 item 12). Django itself would decode it with replacement characters."""

import pytest
from django.test import Client

from integriteit.reports.models import Message, Report
from integriteit.reports.sealing import open_content

pytestmark = pytest.mark.django_db

BOUNDARY = "integriteit-test-boundary"
REFUSED = "Your form could not be read"


def _urlencoded(**fields: bytes) -> bytes:
    """An urlencoded body whose values are given as the bytes to send (escaped or raw)."""
    base = {
        "kind": b"wrongdoing",
        "description": b"Facturen",
        "raised_before": b"no",
        "relation": b"employee",
        "anonymous": b"1",
    }
    return b"&".join(name.encode() + b"=" + value for name, value in (base | fields).items())


def _multipart(
    fields: dict[str, bytes], files: dict[str, tuple[bytes, bytes]] | None = None
) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    for name, (file_name_parameter, content) in (files or {}).items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '.encode()
            + file_name_parameter
            + b"\r\nContent-Type: text/plain\r\n\r\n"
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _post_multipart(client: Client, path: str, body: bytes):
    return client.post(path, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


REPORT_FIELDS = {
    "kind": b"wrongdoing",
    "raised_before": b"no",
    "relation": b"employee",
    "anonymous": b"1",
}


@pytest.mark.parametrize(
    "description",
    [b"Facturen %FF dubbel", b"Facturen \xff dubbel", b"caf%C3", b"%ED%A0%80 (a surrogate)"],
)
def test_invalid_utf8_urlencoded_form_refused(people, description):
    response = Client().post(
        "/en/melden/bzk/",
        _urlencoded(description=description, occurred_where=b"Kantine"),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="en"' in page and REFUSED in page
    assert Report.objects.count() == 0


def test_invalid_utf8_multipart_field_refused(people):
    body = _multipart(REPORT_FIELDS | {"description": b"Facturen \xc3\x28 dubbel"})
    response = _post_multipart(Client(), "/en/melden/bzk/", body)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert Report.objects.count() == 0


def test_invalid_utf8_file_name_refused(people):
    """An RFC 2231 name (filename*=) that is not UTF-8 gets a field error."""
    body = _multipart(
        REPORT_FIELDS | {"description": b"Facturen"},
        files={"attachments": (b"filename*=UTF-8''bewijs-%FF.txt", b"inhoud")},
    )
    response = _post_multipart(Client(), "/en/melden/bzk/", body)
    assert response.status_code == 200
    assert "The file name could not be read." in response.content.decode()
    assert "Facturen" in response.content.decode()
    assert Report.objects.count() == 0


def test_invalid_utf8_mailbox_reply_refused(make_report):
    _report, code = make_report()
    client = Client()
    client.post("/postbus/", {"code": code})
    response = _post_multipart(client, "/postbus/berichten/", _multipart({"text": b"Ja \xe9\xe9n"}))
    assert response.status_code == 400
    assert '<html lang="nl"' in response.content.decode()  # the user's language: Dutch here
    assert Message.objects.count() == 0


def test_invalid_utf8_query_string_refused(people, staff_client):
    response = staff_client(people["coordinator"]).get("/en/behandeling/?q=bonnen%FF")
    assert response.status_code == 400


def test_valid_utf8_is_stored_as_typed_replacement_character_included(people):
    """Exact, not a heuristic: a real U+FFFD typed by the user is valid UTF-8 and is kept."""
    typed = "Eén factuur, 3 × betaald: € 1.200 – zie \ufffd in het bestand".encode()
    client = Client()
    body = _multipart(REPORT_FIELDS | {"description": typed})
    assert _post_multipart(client, "/en/melden/bzk/", body).status_code == 302
    assert open_content(Report.objects.get()).description == typed.decode()
    form = client.post(
        "/en/melden/bzk/",
        _urlencoded(description=b"Twee%20%E2%82%AC%20en%20%EF%BF%BD"),
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 302
    assert open_content(Report.objects.get()).description == "Twee € en \ufffd"


def test_form_in_another_charset_or_over_the_limits_gets_the_clear_page(people, settings):
    latin1 = Client().post(
        "/en/melden/bzk/",
        _urlencoded(description=b"caf%E9"),
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert latin1.status_code == 400 and REFUSED in latin1.content.decode()
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    too_many = Client().post(
        "/en/melden/bzk/", _urlencoded(), content_type="application/x-www-form-urlencoded"
    )
    assert too_many.status_code == 400
    assert "The form was larger than we can accept" in too_many.content.decode()
    assert Report.objects.count() == 0
