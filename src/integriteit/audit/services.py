"""Writing and verifying the audit chain (SECURITY.md "Audit"; ADR 0006).

Every write of case data calls `record` inside its own transaction, so the change and its audit
entry land together or not at all. `record` takes no lock: the entry carries a keyed MAC over its
own content, which is what protects it until it is chained. After the transaction commits,
`chain_pending` chains the committed entries in a short transaction of its own that touches only
audit rows, under the one chain lock. No transaction that changes case data ever waits for the
chain lock, so the chain cannot take part in a deadlock with the rows such a transaction locks.
"""

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import structlog
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from integriteit.crypto.keys import KeyRing
from integriteit.crypto.tokens import audit_mac

from . import anchors
from .anchors import Anchor, AnchorError
from .models import AuditEntry

logger = structlog.get_logger("integriteit.integrity")

GENESIS_HASH = "0" * 64
# Any constant: the id of the advisory lock that serialises chaining on PostgreSQL.
_CHAIN_LOCK_ID = 7_402_031
# Entries chained per transaction, so chaining a long backlog never holds the lock for long.
CHAIN_BATCH = 500


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(label=user.get_username(), user_id=user.pk)


REPORTER = Actor(label="reporter")
SYSTEM = Actor(label="system")


def entry_mac(entry: AuditEntry, ring: KeyRing | None = None) -> str:
    """The entry's own MAC: its content and its random uid, so that it can be neither altered
    nor copied (a copy repeats the uid) without the audit key."""
    body = {
        "uid": str(entry.uid),
        "timestamp": entry.timestamp.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
    }
    payload = b"audit-entry:" + json.dumps(body, sort_keys=True, default=str).encode()
    return audit_mac(payload, ring=ring)


def chain_hash(entry: AuditEntry) -> str:
    """The link: the entry's place in the chain, its predecessor's hash and its own MAC."""
    return audit_mac(f"audit-chain:{entry.sequence}:{entry.previous_hash}:{entry.mac}".encode())


def _first_format_hash(entry: AuditEntry, ring: KeyRing | None = None) -> str:
    """Entries written before migration 0003 have no uid and no MAC of their own: their
    entry_hash covers the previous hash and their content, sequence included."""
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
    payload = (entry.previous_hash + json.dumps(body, sort_keys=True, default=str)).encode()
    return audit_mac(payload, ring=ring)


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction (it fails with it); it is chained once that
    transaction commits."""
    entry = AuditEntry(
        uid=uuid.uuid4(),
        timestamp=timezone.now(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        # Round-trip the detail through JSON so the MAC covers what the database returns.
        detail=json.loads(json.dumps(detail or {}, default=str)),
    )
    entry.mac = entry_mac(entry)
    entry.save(force_insert=True)
    # Robust: the change is committed by then; if chaining fails, the next run chains this entry.
    transaction.on_commit(chain_pending, robust=True)
    return entry


def integrity_alert(
    object_type: str, object_id: Any, what: str, detail: dict | None = None
) -> None:
    """A stored record failed an integrity check: a ciphertext that does not authenticate, an
    access row whose seal does not match, a key that does not fit. The caller skips the record
    (fails closed); this leaves the trace an auditor and the operator act on. Never pass
    contents or names in `detail`."""
    logger.error("integrity alert", what=what, object_type=object_type, object_id=str(object_id))
    record(SYSTEM, "integrity.alert", object_type, object_id, {"what": what, **(detail or {})})


# --- Chaining ----------------------------------------------------------------------------------


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
    # SQLite runs write transactions one at a time (transaction_mode IMMEDIATE).


def _unchained():
    return AuditEntry.objects.filter(sequence__isnull=True)


def _chain_batch() -> int:
    head = (
        AuditEntry.objects.filter(sequence__isnull=False)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    sequence, previous_hash = (head[0] or 0, head[1]) if head else (0, GENESIS_HASH)
    batch = list(_unchained().order_by("pk").only("pk", "mac")[:CHAIN_BATCH])
    for entry in batch:
        sequence += 1
        entry.sequence, entry.previous_hash = sequence, previous_hash
        entry.entry_hash = previous_hash = chain_hash(entry)
    AuditEntry.objects.bulk_update(batch, ["sequence", "previous_hash", "entry_hash"])
    return len(batch)


def chain_pending() -> int:
    """Chain every committed entry that is not chained yet, in the order of their ids; returns
    how many. Runs after each recording transaction commits, and from `verify_audit_chain` and
    `anchor_audit_chain`, so entries of a process that stopped between its commit and its
    chaining are chained by the next run."""
    chained = 0
    # Most runs find their entries already chained by a concurrent run: one cheap query then.
    while _unchained().exists():
        with transaction.atomic():
            # A statement of its own: in READ COMMITTED the next statement's snapshot is taken
            # after the lock is held, so it sees every entry chained before.
            _lock_chain()
            batch = _chain_batch()
        chained += batch
        if batch < CHAIN_BATCH:
            break
    return chained


# --- Verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: AuditEntry | None = None
    reason: str = ""
    unchained: int = 0
    head: tuple[int, str] = (0, GENESIS_HASH)
    anchor: Anchor | None = None

    @property
    def intact(self) -> bool:
        return not self.reason


def _entries(queryset) -> Iterator[AuditEntry]:
    return queryset.iterator(chunk_size=2000)


def _chain_fault(
    entry: AuditEntry, sequence: int, previous_hash: str, *, first_format: bool
) -> str:
    if entry.sequence != sequence:
        return f"expected sequence {sequence}"
    if entry.previous_hash != previous_hash:
        return "previous hash does not match"
    if entry.uid is None:
        if not first_format:
            return "an entry without its own MAC after entries with one"
        if _first_format_hash(entry) != entry.entry_hash:
            return "entry hash does not match its contents"
        return ""
    if entry_mac(entry) != entry.mac:
        return "entry MAC does not match its contents"
    if chain_hash(entry) != entry.entry_hash:
        return "entry hash does not match its place in the chain"
    return ""


def _anchor_fault(entry: AuditEntry, anchored: Iterable[Anchor]) -> str:
    for anchor in anchored:
        if anchor.entry_hash != entry.entry_hash:
            return f"differs from its anchor of {anchor.anchored_at}"
    return ""


def verify_chain(anchored: Iterable[Anchor] = ()) -> ChainReport:
    """Walk the chained entries in order (sequence, link, MACs, and the anchors' hashes), then
    check each entry not chained yet on its own, then that no entry was copied and that no
    anchored entry is missing."""
    anchored = list(anchored)
    by_sequence: dict[int, list[Anchor]] = {}
    for anchor in anchored:
        by_sequence.setdefault(anchor.sequence, []).append(anchor)
    head = (0, GENESIS_HASH)
    first_format = True
    checked = 0
    chained = AuditEntry.objects.filter(sequence__isnull=False).order_by("sequence")
    for entry in _entries(chained):
        fault = _chain_fault(entry, head[0] + 1, head[1], first_format=first_format)
        if not fault:
            fault = _anchor_fault(entry, by_sequence.get(head[0] + 1, ()))
        if fault:
            return ChainReport(checked, entry, fault, head=head)
        first_format = first_format and entry.uid is None
        head = (head[0] + 1, entry.entry_hash)
        checked += 1
    unchained = 0
    for entry in _entries(_unchained().order_by("pk")):
        if entry.uid is None or entry_mac(entry) != entry.mac:
            return ChainReport(
                checked, entry, "entry not chained yet does not match its MAC", head=head
            )
        unchained += 1
    copied = (
        AuditEntry.objects.exclude(uid=None)
        .values("uid")
        .annotate(copies=Count("id"))
        .filter(copies__gt=1)
        .order_by("uid")
        .first()
    )
    if copied:
        copy = AuditEntry.objects.filter(uid=copied["uid"]).order_by("pk").last()
        return ChainReport(checked, copy, f"entry appears {copied['copies']} times", head=head)
    latest = max(anchored, key=lambda anchor: anchor.sequence, default=None)
    if latest is not None and latest.sequence > head[0]:
        return ChainReport(
            checked,
            None,
            f"entry #{latest.sequence}, anchored at {latest.anchored_at}, is missing: the "
            f"chain ends at #{head[0]}, so entries were deleted",
            head=head,
        )
    return ChainReport(checked, None, "", unchained, head, latest)


def verify_against_anchors() -> tuple[ChainReport, str]:
    """Verify the chain against the anchor file (AUDIT_ANCHOR_FILE); returns the report and
    the file's path. An anchor file that cannot be trusted is a broken chain too."""
    path = anchors.anchor_file()
    try:
        anchored = anchors.read_anchors(path)
    except AnchorError as error:
        return ChainReport(0, None, str(error)), str(path)
    return verify_chain(anchored), str(path)


def newest_entries_fit(ring: KeyRing) -> bool:
    """For the key check (crypto.keycheck, ADR 0011), on an installation without fingerprints:
    does the document's audit key verify the newest entries? One that does is enough (a damaged
    entry is the chain check's business); under another key none does."""
    entries = AuditEntry.objects.order_by("-pk")[:3]
    return any(_fits(entry, ring) for entry in entries)


def _fits(entry: AuditEntry, ring: KeyRing) -> bool:
    if entry.uid is None:  # written before migration 0003
        return _first_format_hash(entry, ring) == entry.entry_hash
    return entry_mac(entry, ring) == entry.mac
