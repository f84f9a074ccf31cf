"""The keyed, append-only audit chain (SECURITY.md "Audit") and its tampering tests."""

import hashlib
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from integriteit.audit.models import AppendOnlyError, AuditEntry
from integriteit.audit.services import SYSTEM, Actor, record, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    actor = Actor(label="tester", user_id=42)
    return [
        record(actor if n % 2 else SYSTEM, f"test.action{n}", "thing", n, {"n": n, "tekst": "é"})
        for n in range(6)
    ]


def _drop_update_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")


def _raw_update(sequence: int, column: str, value) -> None:
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE sequence = %s",  # noqa: S608 - test literal
            [value, sequence],
        )


def _command_error() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")
    return str(excinfo.value)


def test_chain_intact_after_several_records(chain):
    result = verify_chain()
    assert result.intact and result.checked == len(chain)
    assert [e.sequence for e in chain] == list(range(1, 7))
    assert all(b.previous_hash == a.entry_hash for a, b in pairwise(chain))
    call_command("verify_audit_chain")  # no CommandError


def test_empty_chain_is_intact():
    assert verify_chain().intact


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "test.harmless"),
        ("actor_label", "someone-else"),
        ("object_id", "999"),
        ("detail", '{"n": 3, "tekst": "anders"}'),
    ],
)
def test_edited_row_is_named_as_first_broken(chain, column, value):
    _drop_update_trigger()
    _raw_update(4, column, value)
    result = verify_chain()
    assert not result.intact
    assert result.first_broken.sequence == 4
    assert result.checked == 3
    assert "#4 " in _command_error()


def test_edited_row_with_recomputed_plain_hash_is_detected(chain):
    """Without the audit key, an editor cannot produce a valid entry hash."""
    _drop_update_trigger()
    _raw_update(2, "action", "test.forged")
    _raw_update(2, "entry_hash", hashlib.sha256(b"forged").hexdigest())
    assert verify_chain().first_broken.sequence == 2
    assert "#2 " in _command_error()


def test_deleted_middle_row_is_detected(chain):
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE sequence = 3")  # noqa: S608
    result = verify_chain()
    assert not result.intact
    assert result.first_broken.sequence == 4
    assert "#4 " in _command_error()


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
    assert AuditEntry.objects.get(sequence=2).action == "test.action1"
    assert verify_chain().intact


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
