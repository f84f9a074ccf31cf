"""Queueing e-mail in the sender's transaction and delivering it after the commit (ADR 0017).

`queue` writes a message to the outbox; the OutboxBackend calls it for every message sent with
Django's mail functions, so a message exists exactly when the transaction that decided to send it
commits. `deliver` sends waiting messages with EMAIL_DELIVERY_BACKEND: right after the commit for
the messages just queued, and from `manage.py send_outbox` for anything still waiting. A failure
never raises into the caller: the message waits, with a growing pause between tries.

A message is claimed before it is sent (one UPDATE that moves its next try past the claim), so two
deliveries at once (the commit hook and the command) never both send it. A process that dies
between the mail server's acceptance and marking the message sent leaves it to be sent again when
the claim runs out: at least once, never lost.
"""

import datetime
import json
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from integriteit.crypto.envelope import Sealer, WrappedKey

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Longer than any SMTP timeout: a claimed message is not tried by another run meanwhile.
CLAIM = datetime.timedelta(minutes=10)
FIRST_PAUSE = datetime.timedelta(minutes=1)
LONGEST_PAUSE = datetime.timedelta(hours=6)
BATCH = 100
RECORD = "message"
FIELD = "email"


def pause_after(attempts: int) -> datetime.timedelta:
    """1, 2, 4, ... minutes after each failed try, at most LONGEST_PAUSE."""
    return min(FIRST_PAUSE * 2 ** min(max(attempts - 1, 0), 20), LONGEST_PAUSE)


def _as_data(message: EmailMessage) -> dict:
    if message.attachments:
        raise ValueError("The outbox does not take attachments: mail names no contents.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(item) for item in getattr(message, "alternatives", [])],
    }


def _as_message(data: dict, connection) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def queue(message: EmailMessage) -> OutboxMessage:
    """Write one message to the outbox, sealed, in the caller's transaction."""
    row = OutboxMessage(next_attempt_at=timezone.now())
    sealer, wrapped = Sealer.new(OutboxMessage.owner_of(row))
    row.wrapped_key, row.kek_version = wrapped.ciphertext, wrapped.kek_version
    row.sealed_message = sealer.seal(RECORD, FIELD, json.dumps(_as_data(message)).encode())
    row.save(force_insert=True)
    return row


def _claim(pk, now: datetime.datetime) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True, next_attempt_at__lte=now).update(
            next_attempt_at=now + CLAIM
        )
    )


def _opened(row: OutboxMessage) -> dict:
    owner = OutboxMessage.owner_of(row)
    sealer = Sealer.from_wrapped(WrappedKey(bytes(row.wrapped_key), row.kek_version), owner)
    return json.loads(sealer.open(RECORD, FIELD, bytes(row.sealed_message)))


def _error_name(error: BaseException) -> str:
    """The kind of failure and the SMTP reply code, never the reply's text (it names addresses)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def _send_one(row: OutboxMessage, now: datetime.datetime) -> bool:
    try:
        connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
        _as_message(_opened(row), connection).send()
    except Exception as error:  # every failure waits for the next try: never raised to a request
        attempts = row.attempts + 1
        OutboxMessage.objects.filter(pk=row.pk).update(
            attempts=attempts,
            last_error=_error_name(error)[:100],
            next_attempt_at=now + pause_after(attempts),
        )
        logger.warning(
            "Outbox message %s not sent (attempt %d): %s", row.pk, attempts, _error_name(error)
        )
        return False
    # Delivered: the sealed message and its key go, the row stays as the record that it was sent.
    OutboxMessage.objects.filter(pk=row.pk).update(
        sent_at=timezone.now(),
        attempts=row.attempts + 1,
        last_error="",
        sealed_message=b"",
        wrapped_key=b"",
        kek_version="",
    )
    return True


def deliver(pks: Iterable | None = None, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Send waiting messages (those in `pks`, or every one that is due); (sent, failed)."""
    now = now or timezone.now()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
    if pks is not None:
        waiting = waiting.filter(pk__in=list(pks))
    sent = failed = 0
    seen: set = set()
    while batch := list(waiting.exclude(pk__in=seen).order_by("next_attempt_at")[:BATCH]):
        for row in batch:
            seen.add(row.pk)
            if not _claim(row.pk, now):
                continue  # another delivery has it
            if _send_one(row, now):
                sent += 1
            else:
                failed += 1
    return sent, failed


def deliver_after_commit(rows: Sequence[OutboxMessage]) -> None:
    """Send the messages just queued once the transaction commits (at once outside one)."""
    pks = [row.pk for row in rows]
    transaction.on_commit(lambda: deliver(pks), robust=True)


def waiting_count() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()
