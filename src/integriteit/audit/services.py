"""Writing and verifying the audit chain. Every write of case data calls `record` inside the
same transaction, so the change and its audit entry land together or not at all."""

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from integriteit.crypto.tokens import audit_mac

from .models import AuditEntry

logger = logging.getLogger("integriteit.integrity")

GENESIS_HASH = "0" * 64
# Any constant: the id of the advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_ID = 7_402_031


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(label=user.get_username(), user_id=user.pk)


REPORTER = Actor(label="reporter")
SYSTEM = Actor(label="system")


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "sequence": entry.sequence,
        "timestamp": entry.timestamp.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
    }
    return (entry.previous_hash + json.dumps(body, sort_keys=True, default=str)).encode()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
    # SQLite runs write transactions one at a time (transaction_mode IMMEDIATE).


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    # No savepoint: an entry belongs to its caller's transaction and fails with it.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
        entry = AuditEntry(
            sequence=(last.sequence + 1) if last else 1,
            timestamp=timezone.now(),
            actor_id=actor.user_id,
            actor_label=actor.label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail or {},
            previous_hash=last.entry_hash if last else GENESIS_HASH,
        )
        # Round-trip the detail through JSON so the hash covers what the database returns.
        entry.detail = json.loads(json.dumps(entry.detail, default=str))
        entry.entry_hash = audit_mac(_canonical(entry))
        entry.save()
        return entry


def integrity_alert(
    object_type: str, object_id: Any, what: str, detail: dict | None = None
) -> None:
    """A stored record failed an integrity check: a ciphertext that does not authenticate, an
    access row whose seal does not match, a key that does not fit. The caller skips the record
    (fails closed); this leaves the trace an auditor and the operator act on. Never pass
    contents or names in `detail`."""
    logger.error("integrity alert: %s %s:%s", what, object_type, object_id)
    record(SYSTEM, "integrity.alert", object_type, object_id, {"what": what, **(detail or {})})


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: AuditEntry | None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken is None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in _entries():
        if entry.sequence != expected_sequence:
            return ChainReport(checked, entry, f"expected sequence {expected_sequence}")
        if entry.previous_hash != previous_hash:
            return ChainReport(checked, entry, "previous hash does not match")
        if audit_mac(_canonical(entry)) != entry.entry_hash:
            return ChainReport(checked, entry, "entry hash does not match its contents")
        previous_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return ChainReport(checked, None)


def newest_entries_fit(ring) -> bool:
    """For the key check (crypto.keycheck, ADR 0011), on an installation without fingerprints:
    does the document's audit key verify the newest entries? One that does is enough (a damaged
    entry is the chain check's business); under another key none does."""
    entries = AuditEntry.objects.order_by("-sequence")[:3]
    return any(audit_mac(_canonical(entry), ring=ring) == entry.entry_hash for entry in entries)
