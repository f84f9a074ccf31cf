"""The key file is replaced atomically and a rotation keeps the previous document (issue 8 item 12).

Rewriting the file in place (truncate, then write) left an empty or half-written file after a
crash or a full disk: every report lost with it. And a rotation kept no copy of the document it
replaced, which is what a database backup from before the rotation needs."""

import json
import os
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from integriteit.crypto.keys import keyring, parse_keyring, write_key_file

pytestmark = pytest.mark.django_db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_through_a_private_temporary_file_and_a_rename(tmp_path, monkeypatch):
    path = tmp_path / "keys.json"
    path.write_text("old")
    path.chmod(0o644)
    replaced = []
    synced = []
    real_replace, real_fsync = os.replace, os.fsync

    def spy_replace(source, target):
        # At the moment of the rename the new file is complete, private and beside the old one.
        replaced.append((Path(source), Path(target), mode(Path(source)), Path(source).read_text()))
        assert path.read_text() == "old"
        real_replace(source, target)

    def spy_fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "replace", spy_replace)
    monkeypatch.setattr(os, "fsync", spy_fsync)
    write_key_file(path, "new")

    [(source, target, source_mode, content)] = replaced
    assert source.parent == path.parent and target == path
    assert source_mode == 0o600 and content == "new"
    assert synced == [False, True]  # the file's data, then the directory entry
    assert path.read_text() == "new" and mode(path) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.json"]


def test_a_failed_write_leaves_the_old_document(tmp_path, monkeypatch):
    path = tmp_path / "keys.json"
    path.write_text("old")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_key_file(path, "new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.json"]  # no temporary left


def test_a_new_directory_is_private(tmp_path):
    path = tmp_path / "secrets" / "keys.json"
    write_key_file(path, "{}")
    assert mode(path.parent) == 0o700 and mode(path) == 0o600


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.*.bak"))


def test_rotation_keeps_the_previous_document(key_file, make_report):
    make_report()
    before = key_file.read_text()
    existing = set(_backups(key_file))
    out = StringIO()
    call_command("generate_keys", rotate=True, stdout=out)

    [backup] = set(_backups(key_file)) - existing
    assert backup.parent == key_file.parent
    assert backup.read_text() == before and mode(backup) == 0o600
    assert mode(key_file) == 0o600
    assert parse_keyring(key_file.read_text()).current_kek == "2"
    output = out.getvalue()
    assert str(backup) in output
    assert "Back up both files now" in output and "then destroy it" in output

    # A second rotation keeps its own copy; none is overwritten.
    keyring.cache_clear()
    call_command("generate_keys", rotate=True, stdout=StringIO())
    assert len(set(_backups(key_file)) - existing) == 2
    assert backup.read_text() == before


def test_retiring_keeps_the_previous_document_too(key_file, make_report):
    make_report()
    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    call_command("rewrap_keys", stdout=StringIO())
    rotated = key_file.read_text()
    existing = set(_backups(key_file))
    out = StringIO()
    call_command("retire_keys", stdout=out)

    [backup] = set(_backups(key_file)) - existing
    assert backup.read_text() == rotated and mode(backup) == 0o600
    assert set(json.loads(backup.read_text())["keks"]) == {"1", "2"}
    assert set(json.loads(key_file.read_text())["keks"]) == {"2"}
    assert str(backup) in out.getvalue()
