"""Structured logs (integriteit/logs.py): every line is one JSON object, ours and Django's alike,
and none holds a client address, user agent or referrer (SECURITY.md "Nothing that identifies a
reporter")."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from django.test import Client

from integriteit import logs

ADDRESS = "203.0.113.77"
AGENT = "SentinelAgent/1.0"
REFERER = "https://referrer-sentinel.example/from"
SENTINELS = (ADDRESS, AGENT, "referrer-sentinel")
CLIENT_META: dict[str, Any] = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_X_FORWARDED_FOR": ADDRESS,
    "HTTP_USER_AGENT": AGENT,
    "HTTP_REFERER": REFERER,
}


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler writes (the one every logger of LOGGING uses), with
    django.request's 404 warnings let through."""
    request_logger = logging.getLogger("django.request")
    (handler,) = [
        handler
        for handler in request_logger.handlers
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    ]
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    previous_stream = handler.setStream(written)
    previous_level = request_logger.level
    request_logger.setLevel(logging.WARNING)
    yield written
    request_logger.setLevel(previous_level)
    handler.setStream(previous_stream)


def _lines(written: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in written.getvalue().splitlines() if line]


@pytest.mark.django_db
def test_a_request_log_line_is_json_without_the_client_address(console):
    response = Client(**CLIENT_META).get("/melden/bestaat-niet/", **CLIENT_META)
    assert response.status_code == 404

    (line,) = [line for line in _lines(console) if line["logger"] == "django.request"]
    assert line["level"] == "warning"
    assert "/melden/bestaat-niet/" in line["event"]
    assert {"event", "level", "logger", "timestamp"} <= set(line)
    assert "request" not in line
    for sentinel in SENTINELS:
        assert sentinel not in console.getvalue()


def test_our_own_lines_lose_client_keys_however_they_are_given(console):
    """A later `log.info(..., ip=...)` or a bound request object never reaches the output."""
    log = structlog.get_logger("integriteit.test")
    log.warning("visited", ip=ADDRESS, **{"User-Agent": AGENT}, referer=REFERER, step=3)
    log.bind(request=object(), remote_addr=ADDRESS).warning("bound")

    visited, bound = (line for line in _lines(console) if line["logger"] == "integriteit.test")
    assert visited["event"] == "visited" and visited["step"] == 3
    assert set(visited) == {"event", "level", "logger", "step", "timestamp"}
    assert set(bound) == {"event", "level", "logger", "timestamp"}
    for sentinel in SENTINELS:
        assert sentinel not in console.getvalue()


@pytest.mark.parametrize(
    "key",
    [
        "ip",
        "REMOTE_ADDR",
        "x-forwarded-for",
        "HTTP_USER_AGENT",
        "user_agent",
        "referrer",
        "request",
    ],
)
def test_drop_client_address_removes_the_key(key):
    event = logs.drop_client_address(None, "info", {"event": "x", key: ADDRESS, "status": 404})
    assert event == {"event": "x", "status": 404}


def test_console_renderer_for_development_and_no_other():
    assert isinstance(logs.formatter("console")["processors"][-1], structlog.dev.ConsoleRenderer)
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logs.logging_settings("xml", "INFO")


def test_an_unreadable_attachment_is_logged_by_kind_without_the_reporters_file_name(console):
    """A structured event (issue 9), not a %s message; the file name a reporter chose can name
    people, so the line holds only the kind of failure and the extension."""
    from integriteit.reports.attachments import AttachmentRejected, clean

    attachments_logger = logging.getLogger("integriteit.reports.attachments")
    previous_level = attachments_logger.level
    attachments_logger.setLevel(logging.INFO)
    try:
        with pytest.raises(AttachmentRejected):
            clean("Verslag over Jan Jansen.docx", b"PK\x03\x04 not a zip archive")
    finally:
        attachments_logger.setLevel(previous_level)

    (line,) = [line for line in _lines(console) if line["logger"] == attachments_logger.name]
    assert line["event"] == "attachment unreadable"
    assert line["extension"] == "docx" and line["error"] == "BadZipFile"
    assert "Jansen" not in console.getvalue()


def test_weasyprints_layout_steps_are_not_logged():
    """Set in LOGGING (logs.logging_settings), not by a module as it is imported."""
    assert logging.getLogger("weasyprint.progress").getEffectiveLevel() == logging.WARNING
