"""Backup and restore, and the key rotation procedure, end to end (issue 8 "It must show";
docs/deployment.md "Backups" and "Keys").

Every step is the command an operator runs, in its own process: the database dump, the upload
folder and the key document are kept apart, restored into a fresh database, and an old report
is read back. The rotation runs on the restored copy, so the test database is left alone.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from integriteit.reports.models import Report
from integriteit.testing import database_url, make_report, postgres_tool

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIPTION = "Bij de afdeling inkoop worden offertes achteraf aangepast."
REPORTER = "Wilhelmina Terugzet"
EVIDENCE = b"Offerte 2026-114, versie 1 en versie 2."


class Installation:
    """Paths and database of one installation as the commands see them (environment only)."""

    def __init__(self, root: Path, database: str, keys: Path, uploads: Path) -> None:
        self.root, self.database, self.keys, self.uploads = root, database, keys, uploads
        self.anchor = root / "audit-anchor.jsonl"

    def manage(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "integriteit.conf.dev",
                "DATABASE_URL": self.database,
                "INTEGRITEIT_KEY_FILE": str(self.keys),
                "UPLOAD_ROOT": str(self.uploads),
                "AUDIT_ANCHOR_FILE": str(self.anchor),
                "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            }
        )
        result = subprocess.run(  # our own manage.py with fixed arguments
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=settings.BASE_DIR,
            timeout=300,
        )
        assert (result.returncode == 0) == ok, (args, result.stdout, result.stderr)
        return result

    def read_report(self, reference: str) -> dict:
        code = (
            "import json; from integriteit.reports.models import Report; "
            "from integriteit.reports.sealing import open_content, open_identity, "
            "read_attachment, sealer_for; "
            f"r = Report.objects.get(reference={reference!r}); s = sealer_for(r); "
            "print(json.dumps({'description': open_content(r, s).description, "
            "'name': open_identity(r, s).name, "
            "'files': [read_attachment(a, s).decode() for a in r.attachments.all()]}))"
        )
        return json.loads(self.manage("shell", "-c", code).stdout.strip().splitlines()[-1])


@pytest.fixture
def backups(tmp_path, people):
    """Somewhere to put a backup and to restore it (the demo organisations exist);
    PostgreSQL databases made here are dropped."""
    made: list[str] = []

    def fresh_database(label: str) -> str:
        if connection.vendor == "sqlite":
            return database_url(str(tmp_path / f"{label}.sqlite3"))
        name = f"restore_{label}_{uuid.uuid4().hex[:8]}"
        postgres_tool("createdb", name)
        made.append(name)
        return database_url(name)

    yield tmp_path, fresh_database
    for name in made:
        postgres_tool("dropdb", "--if-exists", name)


def dump_database(target: Path) -> None:
    """docs/deployment.md "Backups": pg_dump in its custom format, or SQLite's online backup."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(settings_name()) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        postgres_tool("pg_dump", "--format=custom", f"--file={target}", settings_name())


def restore_database(dump: Path, url: str) -> None:
    if connection.vendor == "sqlite":
        shutil.copyfile(dump, url.removeprefix("sqlite:///"))
    else:
        postgres_tool("pg_restore", "--no-owner", f"--dbname={url.rsplit('/', 1)[1]}", str(dump))


def settings_name() -> str:
    return connection.settings_dict["NAME"]


def back_up(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """The three backups, each in a place of its own: database, uploads, key document."""
    for place in ("db", "uploads", "keys"):
        (tmp_path / "backup" / place).mkdir(parents=True)
    dump = tmp_path / "backup" / "db" / "integriteit.dump"
    dump_database(dump)
    uploads = tmp_path / "backup" / "uploads" / "uploads"
    shutil.copytree(settings.UPLOAD_ROOT, uploads)
    keys = tmp_path / "backup" / "keys" / "keys.json"
    shutil.copyfile(settings.INTEGRITEIT_KEY_FILE, keys)
    return dump, uploads, keys, tmp_path / "backup" / "anchor.jsonl"


def restore(tmp_path: Path, label: str, fresh_database, dump: Path, uploads: Path, keys: Path):
    root = tmp_path / label
    root.mkdir()
    url = fresh_database(label)
    restore_database(dump, url)
    shutil.copytree(uploads, root / "uploads")
    shutil.copyfile(keys, root / "keys.json")
    (root / "keys.json").chmod(0o600)
    return Installation(root, url, root / "keys.json", root / "uploads")


def an_old_report() -> Report:
    report, _code = make_report(
        description=DESCRIPTION, name=REPORTER, files=(("offerte.txt", EVIDENCE),)
    )
    return report


def test_backup_restored_into_a_fresh_database_reads_an_old_report(backups):
    tmp_path, fresh_database = backups
    report = an_old_report()
    live = Installation(
        tmp_path, database_url(), Path(settings.INTEGRITEIT_KEY_FILE), settings.UPLOAD_ROOT
    )
    live.manage("anchor_audit_chain")
    dump, uploads, keys, anchor = back_up(tmp_path)
    shutil.copyfile(live.anchor, anchor)  # the anchor lives elsewhere too (ADR 0006)

    restored = restore(tmp_path, "restored", fresh_database, dump, uploads, keys)
    restored.manage("migrate", "--no-input")  # a restore into a newer release migrates
    assert "fits this database" in restored.manage("verify_keys").stdout
    shutil.copyfile(anchor, restored.anchor)
    assert "intact" in restored.manage("verify_audit_chain", "--require-anchor").stdout
    readable = restored.manage("verify_readable", "--all").stdout
    assert "reports: 1 read" in readable and "attachments: 1 read" in readable
    assert restored.read_report(report.reference) == {
        "description": DESCRIPTION,
        "name": REPORTER,
        "files": [EVIDENCE.decode()],
    }


def test_a_restore_without_its_parts_says_what_is_missing(backups):
    tmp_path, fresh_database = backups
    an_old_report()
    dump, uploads, keys, _anchor = back_up(tmp_path)

    without_uploads = restore(tmp_path, "no_uploads", fresh_database, dump, uploads, keys)
    shutil.rmtree(without_uploads.uploads)
    without_uploads.uploads.mkdir()
    failed = without_uploads.manage("verify_readable", "--all", ok=False)
    assert "could not be read" in failed.stderr and "file is missing" in failed.stderr

    other_keys = restore(tmp_path, "other_keys", fresh_database, dump, uploads, keys)
    other_keys.keys.unlink()
    other_keys.manage("generate_keys", ok=False)  # never a fresh document over stored data
    document = json.loads(keys.read_text())
    document["audit_key"] = document["exclusion_key"]  # a valid-looking, wrong document
    other_keys.keys.write_text(json.dumps(document))
    refused = other_keys.manage("verify_keys", ok=False)
    assert "does not fit this database" in refused.stderr
    other_keys.manage("verify_readable", ok=False)


def test_key_rotation_end_to_end_and_the_backup_from_before_it(backups):
    """docs/deployment.md "Rotating the KEK", step by step, each step a new process (a
    restart): rotate, re-wrap, retire, read everything; a dump from before the rotation still
    opens with the document kept beside the key file, and not with the retired one."""
    tmp_path, fresh_database = backups
    report = an_old_report()
    dump, uploads, keys, _anchor = back_up(tmp_path)
    site = restore(tmp_path, "site", fresh_database, dump, uploads, keys)

    rotated = site.manage("generate_keys", "--rotate").stdout
    kept = sorted(site.root.glob("keys.json.*.bak"))
    assert len(kept) == 1 and kept[0].name in rotated
    assert "Current KEK: 2" in site.manage("verify_keys").stdout
    site.manage("rewrap_keys")
    site.manage("retire_keys")
    assert list(json.loads(site.keys.read_text())["keks"]) == ["2"]
    assert "KEK versions in use: 2" in site.manage("verify_keys").stdout
    site.manage("verify_readable", "--all")
    assert site.read_report(report.reference)["description"] == DESCRIPTION

    # The backup from before the rotation, restored with the retired document: refused clearly.
    old = restore(tmp_path, "old", fresh_database, dump, uploads, site.keys)
    assert "KEK version 1 is missing" in old.manage("verify_keys", ok=False).stderr
    # ... and with the document kept from before the rotation: readable.
    shutil.copyfile(kept[0], old.keys)
    old.manage("verify_readable", "--all")
    assert old.read_report(report.reference)["name"] == REPORTER
