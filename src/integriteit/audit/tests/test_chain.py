"""The keyed, append-only audit chain (SECURITY.md "Audit"; ADR 0006) and its tampering tests."""

import hashlib
import uuid
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from integriteit.audit.models import AppendOnlyError, AuditEntry
from integriteit.audit.services import (
    SYSTEM,
    Actor,
    ChainReport,
    chain_hash,
    chain_pending,
    entry_mac,
    record,
    verify_chain,
)

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def _record_six() -> list[AuditEntry]:
    actor = Actor(label="tester", user_id=42)
    return [
        record(actor if n % 2 else SYSTEM, f"test.action{n}", "thing", n, {"n": n, "tekst": "é"})
        for n in range(6)
    ]


@pytest.fixture
def chain():
    _record_six()
    chain_pending()
    return list(AuditEntry.objects.order_by("sequence"))


def disable_triggers() -> None:
    """What someone with the database's owner rights can do; the chain must still tell."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_entry_chain_once")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _raw_update(sequence: int, column: str, value) -> None:
    raw(f"UPDATE {TABLE} SET {column} = %s WHERE sequence = %s", [value, sequence])  # noqa: S608


def _command_error(command: str = "verify_audit_chain") -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command(command)
    return str(excinfo.value)


def test_chain_intact_after_several_records(chain):
    result = verify_chain()
    assert result.intact and result.checked == len(chain) and result.unchained == 0
    assert [e.sequence for e in chain] == list(range(1, 7))
    assert all(b.previous_hash == a.entry_hash for a, b in pairwise(chain))
    assert [e.action for e in chain] == [f"test.action{n}" for n in range(6)]
    call_command("verify_audit_chain")  # no CommandError


def test_empty_chain_is_intact():
    assert verify_chain().intact


def test_record_appends_unchained_and_chaining_fills_the_chain_once():
    entry = record(SYSTEM, "test.action", "thing", 1)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert not stored.is_chained and stored.previous_hash == stored.entry_hash == ""
    assert stored.mac == entry_mac(stored)
    report = verify_chain()
    assert report.intact and (report.checked, report.unchained) == (0, 1)

    assert chain_pending() == 1
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.sequence == 1 and stored.entry_hash == chain_hash(stored)
    assert chain_pending() == 0
    assert verify_chain().checked == 1


def test_entries_chain_after_the_recording_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _record_six()
    assert not AuditEntry.objects.filter(sequence__isnull=True).exists()
    assert verify_chain().checked == 6


def test_verify_command_chains_what_a_stopped_process_left_unchained(capsys):
    _record_six()  # never committed here, so never chained: as after a crash
    call_command("verify_audit_chain")
    assert "Audit chain intact: 6 entries." in capsys.readouterr().out
    assert not AuditEntry.objects.filter(sequence__isnull=True).exists()


# --- Tampering -------------------------------------------------------------------------------


def _first_broken(result: ChainReport) -> AuditEntry:
    assert result.first_broken is not None, f"the chain should be broken: {result.reason}"
    return result.first_broken


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "test.harmless"),
        ("actor_label", "someone-else"),
        ("object_id", "999"),
        ("detail", '{"n": 3, "tekst": "anders"}'),
        ("uid", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),  # fixed: xdist workers collect alike
    ],
)
def test_edited_row_is_named_as_first_broken(chain, column, value):
    disable_triggers()
    _raw_update(4, column, value)
    result = verify_chain()
    assert not result.intact
    assert _first_broken(result).sequence == 4
    assert result.checked == 3
    assert "#4 " in _command_error()


def test_edited_row_with_recomputed_plain_hash_is_detected(chain):
    """Without the audit key, an editor cannot produce a valid entry hash."""
    disable_triggers()
    _raw_update(2, "action", "test.forged")
    _raw_update(2, "mac", hashlib.sha256(b"forged").hexdigest())
    _raw_update(2, "entry_hash", hashlib.sha256(b"forged").hexdigest())
    assert _first_broken(verify_chain()).sequence == 2
    assert "#2 " in _command_error()


def test_deleted_middle_row_is_detected(chain):
    disable_triggers()
    raw(f"DELETE FROM {TABLE} WHERE sequence = 3")  # noqa: S608
    result = verify_chain()
    assert not result.intact
    assert _first_broken(result).sequence == 4
    assert "#4 " in _command_error()


def test_edited_unchained_entry_is_detected():
    entry = record(SYSTEM, "test.action", "thing", 1)
    disable_triggers()
    raw(f"UPDATE {TABLE} SET object_id = '2' WHERE id = %s", [entry.pk])  # noqa: S608
    result = verify_chain()
    assert _first_broken(result).pk == entry.pk and "not chained yet" in result.reason
    chain_pending()  # a forged entry gets chained like any other, and stays visible
    assert _first_broken(verify_chain()).pk == entry.pk
    assert "#1 " in _command_error()


def test_inserted_entry_without_the_key_is_detected(chain):
    """A row written straight into the table is chained by the next run, but its MAC is wrong."""
    raw(
        f"INSERT INTO {TABLE} (uid, timestamp, actor_id, actor_label, action, object_type, "  # noqa: S608
        "object_id, detail, mac, previous_hash, entry_hash) "
        "VALUES (%s, %s, NULL, 'system', 'test.forged', 'thing', '9', '{}', %s, '', '')",
        [uuid.uuid4().hex, chain[-1].timestamp, "0" * 64],
    )
    assert "not chained yet" in verify_chain().reason
    assert "#7 " in _command_error()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="dropping the uid's unique constraint needs ALTER TABLE DROP CONSTRAINT (PostgreSQL)",
)
def test_copied_entry_is_detected(chain):
    """A copy repeats a valid entry with its MAC; the unique uid (constraint dropped by the
    attacker here) is what gives it away."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u' "
            "AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = 'uid')]",
            [TABLE, TABLE],
        )
        (constraint,) = cursor.fetchone()
        cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{constraint}"')
    columns = "uid, timestamp, actor_id, actor_label, action, object_type, object_id, detail, mac"
    raw(
        f"INSERT INTO {TABLE} ({columns}, previous_hash, entry_hash) "  # noqa: S608
        f"SELECT {columns}, '', '' FROM {TABLE} WHERE sequence = 2"
    )
    chain_pending()
    result = verify_chain()
    assert _first_broken(result).sequence == 7 and "appears 2 times" in result.reason


# --- Append-only in the database -------------------------------------------------------------


def test_model_refuses_save_and_delete(chain):
    entry = AuditEntry.objects.get(sequence=2)
    entry.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(sequence=2).action == "test.action1"
    assert verify_chain().intact


def test_database_refuses_update(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(sequence=2).update(action="test.changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_update(2, "action", "test.changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_update(2, "entry_hash", "0" * 64)  # a chained entry is never chained again
    assert AuditEntry.objects.get(sequence=2).action == "test.action1"
    assert verify_chain().intact


def test_database_allows_only_the_chaining_update_of_an_unchained_entry():
    entry = record(SYSTEM, "test.action", "thing", 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.changed")
    with pytest.raises(DatabaseError), transaction.atomic():  # chaining and changing at once
        AuditEntry.objects.filter(pk=entry.pk).update(
            sequence=1, previous_hash="0" * 64, entry_hash="1" * 64, object_id="2"
        )
    assert chain_pending() == 1
    assert verify_chain().intact


def test_database_refuses_delete(chain):
    """Issue 8 item 6: the trigger blocked UPDATE, not DELETE."""
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(sequence=6).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE}")  # noqa: S608
    unchained = record(SYSTEM, "test.action", "thing", 7)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [unchained.pk])  # noqa: S608
    assert AuditEntry.objects.count() == 7


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (its DELETE is refused)"
)
def test_database_refuses_truncate(chain):
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        raw(f"TRUNCATE {TABLE}")
    assert "append-only" in str(refused.value)
    assert AuditEntry.objects.count() == 6


# --- Reads and alerts ------------------------------------------------------------------------


def test_reading_a_report_is_audited(people, staff_client, make_report):
    report, _code = make_report(name="Lees Melder")
    coordinator = people["coordinator"]
    response = staff_client(coordinator).get(f"/behandeling/{report.pk}/")
    assert response.status_code == 200
    reads = AuditEntry.objects.filter(action="report.read", object_id=str(report.pk))
    assert reads.count() == 1
    assert reads.get().actor_id == coordinator.pk
    # The named reporter's identity was shown to the coordinator: that disclosure is logged too.
    identity = AuditEntry.objects.get(action="identity.read", object_id=str(report.pk))
    assert identity.actor_id == coordinator.pk and identity.detail.get("ground")
    assert verify_chain().intact


def test_denied_read_writes_no_read_entry(people, staff_client, make_report):
    report, _code = make_report()
    response = staff_client(people["employee"]).get(f"/behandeling/{report.pk}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="report.read").exists()


def test_integrity_alert_is_a_chained_entry_without_contents(caplog):
    from integriteit.audit.services import integrity_alert

    integrity_alert("report", "abc", "ciphertext failed authentication", {"field": "content"})
    entry = AuditEntry.objects.get(action="integrity.alert")
    assert entry.actor_label == "system"
    assert (entry.object_type, entry.object_id) == ("report", "abc")
    assert entry.detail == {"what": "ciphertext failed authentication", "field": "content"}
    assert "integrity alert" in caplog.text
    assert verify_chain().intact


# --- Entries from before migration 0003 ------------------------------------------------------


def _first_format_entry(sequence: int, previous_hash: str) -> AuditEntry:
    """An entry as the first version wrote it: no uid, no MAC of its own, chained at once."""
    from django.utils import timezone

    from integriteit.audit.services import _first_format_hash

    entry = AuditEntry(
        sequence=sequence,
        timestamp=timezone.now(),
        actor_label="system",
        action="test.old",
        object_type="thing",
        object_id=str(sequence),
        detail={"n": sequence},
        previous_hash=previous_hash,
    )
    entry.entry_hash = _first_format_hash(entry)
    entry.save(force_insert=True)
    return entry


def test_entries_of_the_first_format_still_verify_at_the_start():
    first = _first_format_entry(1, "0" * 64)
    _first_format_entry(2, first.entry_hash)
    _record_six()
    chain_pending()
    result = verify_chain()
    assert result.intact and result.checked == 8


def test_an_entry_of_the_first_format_after_new_ones_is_refused(chain):
    _first_format_entry(7, chain[-1].entry_hash)
    result = verify_chain()
    assert _first_broken(result).sequence == 7 and "without its own MAC" in result.reason
