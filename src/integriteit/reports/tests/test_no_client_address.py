"""A reporter's visit leaves no client address, user agent or referrer anywhere: not in logs,
not in the database, not in the audit trail (SECURITY.md "Nothing that identifies a reporter").
Also the response headers of the reporter's path: no caching, a strict CSP, only the session and
CSRF cookies."""

import io
import logging
import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client

from integriteit.audit.models import AuditEntry
from integriteit.reports.models import Report
from integriteit.testing import found, shown_code, verified_client

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "SentinelAgent/1.0"
REFERER_HOST = "referrer-sentinel.example"
SENTINELS = (ADDRESS, FORWARDED, AGENT, "SentinelAgent", REFERER_HOST)
CLIENT_META: dict[str, Any] = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_X_FORWARDED_FOR": f"{FORWARDED}, {ADDRESS}",
    "HTTP_X_REAL_IP": ADDRESS,
    "HTTP_FORWARDED": f"for={ADDRESS}",
    "HTTP_USER_AGENT": AGENT,
    "HTTP_REFERER": f"https://{REFERER_HOST}/from/{ADDRESS}",
}
ALLOWED_COOKIES = {"sessionid", "csrftoken"}
CSP_SOURCE = re.compile(r"^('self'|'none'|'nonce-[A-Za-z0-9+/=_-]+'|data:|sandbox)$")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def all_logs(caplog):
    """Every log record at DEBUG, including loggers that do not propagate to the root
    (django.request, axes): caplog alone only sees the root."""
    caplog.set_level(logging.DEBUG)
    collector = _Collect()
    changed = []
    for name in ["", *logging.root.manager.loggerDict]:
        logger = logging.getLogger(name)
        if name and logger.propagate:
            continue
        changed.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
        logger.addHandler(collector)
    yield caplog, collector
    for logger, level in changed:
        logger.removeHandler(collector)
        logger.setLevel(level)


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), repr(record.__dict__)]
    request = getattr(record, "request", None)
    if request is not None and hasattr(request, "META"):
        parts.append(repr(request.META))
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def _assert_headers(response, label: str) -> None:
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control, f"{label}: Cache-Control is {cache_control!r}"
    csp = response.get("Content-Security-Policy")
    assert csp, f"{label}: no Content-Security-Policy"
    for directive in filter(None, (part.strip() for part in csp.split(";"))):
        _name, *sources = directive.split()
        for source in sources:
            assert CSP_SOURCE.match(source), f"{label}: CSP allows {source!r} in {directive!r}"
    assert "default-src 'none'" in csp or "default-src 'self'" in csp, csp
    cookies = set(response.cookies)
    assert cookies <= ALLOWED_COOKIES, f"{label}: cookies {cookies}"
    # Browser-session cookies only: nothing outlives the browser on the reporter's device
    # (issue 8 item 12). A deleted cookie (empty, Max-Age=0) is the one allowed expiry.
    for name, morsel in response.cookies.items():
        if morsel.value == "" and morsel["max-age"] == 0:
            continue
        assert not morsel["max-age"] and not morsel["expires"], (
            f"{label}: {name} persists: {morsel.OutputString()}"
        )
    for header in ("Server", "X-Powered-By"):
        assert header not in response


def _visit(people) -> tuple[Report, list]:
    """A reporter's whole visit, with the sentinels on every request."""
    responses: list[tuple[str, object]] = []
    client = Client(**CLIENT_META)

    def go(method, path, data=None, **extra):
        response = getattr(client, method)(path, data or {}, **CLIENT_META, **extra)
        responses.append((f"{method.upper()} {path}", response))
        return response

    go("get", "/melden/")
    go("get", "/melden/bzk/")
    go("get", "/melden/bestaat-niet/")  # a 404 is logged by django.request
    attachment = io.BytesIO(b"bewijs")
    attachment.name = "bewijs.txt"
    posted = go(
        "post",
        "/melden/bzk/",
        {
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": "Er verdwijnt geld uit de kas.",
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
            "attachments": [attachment],
        },
    )
    assert posted.status_code == 302
    go("get", "/melden/controleren/")
    assert go("post", "/melden/versturen/").status_code == 302
    received = go("get", "/melden/ontvangen/")
    code = shown_code(received.content.decode())
    go("post", "/melden/ontvangen/")  # "I have written down my code"
    report = Report.objects.submitted().get()

    verified_client(people["coordinator"]).post(
        f"/behandeling/{report.pk}/bericht/", {"text": "Heeft u meer informatie?"}
    )

    go("get", "/postbus/")
    failed = go("post", "/postbus/", {"code": "0000-0000-0000-0000-0000"})
    assert failed.status_code == 200
    assert go("post", "/postbus/", {"code": code}).status_code == 302
    assert go("get", "/postbus/berichten/").status_code == 200
    reply = go("post", "/postbus/berichten/", {"text": "Ja, in de bijlage."})
    assert reply.status_code == 302
    go("get", "/postbus/berichten/")
    file = report.attachments.first()
    assert go("get", f"/postbus/bijlage/{file.pk}/").status_code == 200
    form = go("get", "/postbus/klacht/").content.decode()
    token = found(r'name="token" value="([^"]+)"', form)
    complaint = go("post", "/postbus/klacht/", {"text": "Ik hoorde niets meer.", "token": token})
    assert complaint.status_code == 302
    assert go("get", "/postbus/klacht/ontvangen/").status_code == 200
    go("post", "/postbus/klacht/ontvangen/")
    go("post", "/postbus/sluiten/")
    return report, responses


def _database_text() -> str:
    """Every row of every table, as text; sessions decoded."""
    chunks = []
    for model in apps.get_models():
        for row in model._base_manager.all().values():
            chunks.append(f"{model._meta.label} {row!r}")
    for session in Session.objects.all():
        chunks.append(repr(SessionStore().decode(session.session_data)))
    return "\n".join(chunks)


def test_no_client_address_in_logs_or_database(people, all_logs):
    caplog, collector = all_logs
    report, _responses = _visit(people)

    records = list(caplog.records) + collector.records
    assert records, "the visit should log something (e.g. the 404), or the capture is broken"
    for record in records:
        text = _record_text(record)
        for sentinel in SENTINELS:
            assert sentinel not in text, f"{sentinel!r} logged by {record.name}: {text[:500]}"
    assert not any(s in caplog.text for s in SENTINELS)

    stored = _database_text()
    assert report.reference in stored  # the dump does hold the data
    for sentinel in SENTINELS:
        assert sentinel not in stored, f"{sentinel!r} stored in the database"
    for entry in AuditEntry.objects.all():
        assert not any(s in repr(entry.__dict__) for s in SENTINELS)
    assert AuditEntry.objects.filter(action="mailbox.opened").exists()


def test_reporter_responses_have_safe_headers(people):
    _report, responses = _visit(people)
    for label, response in responses:
        _assert_headers(response, label)
    download = next(r for label, r in responses if "/postbus/bijlage/" in label)
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Disposition"].startswith("attachment")
