"""The chain's head anchored outside the database (issue 8 item 6; ADR 0006): deleting the
newest entries, or all of them, after disabling the triggers as someone with the database's
owner rights would, no longer leaves a chain that verifies."""

import json

import pytest
from django.core.management import CommandError, call_command

from integriteit.audit.anchors import Anchor, read_anchors
from integriteit.audit.models import AuditEntry
from integriteit.audit.services import SYSTEM, chain_hash, entry_mac, record, verify_against_anchors

from .test_chain import TABLE, disable_triggers, raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(capsys):
    for n in range(6):
        record(SYSTEM, f"test.action{n}", "thing", n)
    call_command("anchor_audit_chain")
    return json.loads(capsys.readouterr().out)


def _verify_error() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")
    return str(excinfo.value)


def test_anchor_command_chains_and_appends_the_head(anchored, anchor_file, capsys):
    head = AuditEntry.objects.get(sequence=6)
    assert (anchored["sequence"], anchored["entry_hash"]) == (6, head.entry_hash)
    assert read_anchors(anchor_file) == [Anchor(**anchored)]
    record(SYSTEM, "test.later", "thing", 7)
    call_command("anchor_audit_chain")
    assert [anchor.sequence for anchor in read_anchors(anchor_file)] == [6, 7]
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "Audit chain intact: 7 entries." in out and "anchor of entry #7" in out


def test_deleting_the_newest_entries_is_detected(anchored):
    disable_triggers()
    raw(f"DELETE FROM {TABLE} WHERE sequence > 4")  # noqa: S608
    report, _path = verify_against_anchors()
    assert not report.intact and report.checked == 4
    message = _verify_error()
    assert "entry #6, anchored at" in message and "chain ends at #4" in message
    assert "entries were deleted" in message


def test_deleting_every_entry_is_detected(anchored):
    disable_triggers()
    raw(f"DELETE FROM {TABLE}")  # noqa: S608
    message = _verify_error()
    assert "entry #6, anchored at" in message and "chain ends at #0" in message


def test_history_rewritten_with_the_key_differs_from_its_anchor(anchored):
    """Even whoever holds the audit key cannot rewrite anchored history unnoticed."""
    disable_triggers()
    entry = AuditEntry.objects.get(sequence=6)
    entry.action = "test.rewritten"
    entry.mac = entry_mac(entry)
    entry.entry_hash = chain_hash(entry)
    AuditEntry.objects.filter(pk=entry.pk).update(
        action=entry.action, mac=entry.mac, entry_hash=entry.entry_hash
    )
    message = _verify_error()
    assert "Audit chain broken at entry #6" in message and "differs from its anchor" in message


def test_tampered_anchor_file_is_refused(anchored, anchor_file):
    forged = {**anchored, "sequence": 3}
    anchor_file.write_text(json.dumps(forged) + "\n")
    assert "line 1 of" in _verify_error() and "not authentic" in _verify_error()
    anchor_file.write_text("not json\n")
    assert "is not an anchor" in _verify_error()


def test_anchor_command_refuses_a_broken_chain(anchored, anchor_file):
    disable_triggers()
    raw(f"DELETE FROM {TABLE} WHERE sequence = 6")  # noqa: S608
    with pytest.raises(CommandError) as excinfo:
        call_command("anchor_audit_chain")
    assert "Nothing was anchored" in str(excinfo.value)
    assert len(read_anchors(anchor_file)) == 1


def test_verify_without_anchor_says_so(capsys):
    record(SYSTEM, "test.action", "thing", 1)
    call_command("verify_audit_chain")
    captured = capsys.readouterr()
    assert "Audit chain intact: 1 entry." in captured.out
    assert "No anchor in" in captured.err and "anchor_audit_chain" in captured.err
    with pytest.raises(CommandError, match="No anchor in"):
        call_command("verify_audit_chain", require_anchor=True)


def test_empty_log_can_be_anchored(anchor_file, capsys):
    call_command("anchor_audit_chain")
    assert read_anchors(anchor_file)[0].sequence == 0
    call_command("verify_audit_chain")
    assert "anchor of entry #0" in capsys.readouterr().out
