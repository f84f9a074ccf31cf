"""The keys that live outside the database (docs/decisions/0003-envelope-encryption.md).

One JSON document, from the file INTEGRITEIT_KEY_FILE or the variable INTEGRITEIT_KEYS:

    {"keks": {"1": "<base64 32 bytes>", ...}, "current_kek": "1",
     "receipt_pepper": "<base64>", "audit_key": "<base64>", "exclusion_key": "<base64>"}

Old KEK versions stay in "keks" until `manage.py rewrap_keys` has re-wrapped every data key.
Before any of these keys is used, the document is checked against the fingerprints the database
keeps of the document it was written with (`keycheck.py`, ADR 0011).
"""

import base64
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class KeyRing:
    keks: dict[str, bytes]
    current_kek: str
    receipt_pepper: bytes
    audit_key: bytes
    exclusion_key: bytes

    @property
    def current(self) -> bytes:
        return self.keks[self.current_kek]

    def named_keys(self) -> dict[str, bytes]:
        """Every key but the KEKs, by its name in the document (pepper, audit key, ...)."""
        return {
            field.name: getattr(self, field.name)
            for field in fields(self)
            if field.name not in ("keks", "current_kek")
        }


def _b64(value: str) -> bytes:
    raw = base64.b64decode(value)
    if len(raw) < 32:
        raise ImproperlyConfigured("Every key must be at least 32 bytes.")
    return raw


def parse_keyring(document: str) -> KeyRing:
    try:
        data = json.loads(document)
    except ValueError as error:
        raise ImproperlyConfigured(f"The key document is not valid JSON: {error}") from error
    try:
        keks = {str(version): _b64(key) for version, key in data["keks"].items()}
        ring = KeyRing(
            keks=keks,
            current_kek=str(data["current_kek"]),
            receipt_pepper=_b64(data["receipt_pepper"]),
            audit_key=_b64(data["audit_key"]),
            exclusion_key=_b64(data["exclusion_key"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"The key document is incomplete: {error}") from error
    if ring.current_kek not in keks:
        raise ImproperlyConfigured("current_kek names a KEK version that is not in keks.")
    return ring


def _enc(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def key_document(ring: KeyRing) -> str:
    return json.dumps(
        {
            "keks": {version: _enc(kek) for version, kek in ring.keks.items()},
            "current_kek": ring.current_kek,
        }
        | {name: _enc(key) for name, key in ring.named_keys().items()},
        indent=2,
    )


def new_key_document(existing: KeyRing | None = None) -> str:
    """A key document with a fresh KEK; existing keys are kept so that old data stays readable."""

    def fresh() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    if existing is None:
        return json.dumps(
            {
                "keks": {"1": fresh()},
                "current_kek": "1",
                "receipt_pepper": fresh(),
                "audit_key": fresh(),
                "exclusion_key": fresh(),
            },
            indent=2,
        )
    version = str(max(int(v) for v in existing.keks) + 1)
    keks = existing.keks | {version: secrets.token_bytes(32)}
    return key_document(replace(existing, keks=keks, current_kek=version))


def without_keks(ring: KeyRing, versions: set[str]) -> str:
    """The document with the given KEK versions removed (retired after `rewrap_keys`)."""
    if ring.current_kek in versions:
        raise ImproperlyConfigured("The current KEK cannot be retired.")
    keks = {version: kek for version, kek in ring.keks.items() if version not in versions}
    return key_document(replace(ring, keks=keks))


def write_key_file(path: Path, document: str) -> None:
    """Replace the key file atomically: a reader or a crash sees the old document or the new one,
    never half of one (issue 8 item 12). A temporary file in the same directory (mode 600 from
    the start), flushed to disk, renamed over the old name, and the directory entry flushed."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(document)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_previous(path: Path) -> Path:
    """Copy the key file to `<name>.<UTC time>.bak` beside it (mode 600) before it is rewritten:
    after a rotation the previous document is what restores a database backup from before it."""
    moment = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    backup = path.with_name(f"{path.name}.{moment}.bak")
    write_key_file(backup, path.read_text())
    return backup


@cache
def keyring() -> KeyRing:
    if settings.INTEGRITEIT_KEYS_JSON:
        return parse_keyring(settings.INTEGRITEIT_KEYS_JSON)
    path = Path(settings.INTEGRITEIT_KEY_FILE)
    if not path.exists():
        raise ImproperlyConfigured(
            f"No key file at {path}. Create one with `manage.py generate_keys` "
            "(and back it up apart from the database)."
        )
    return parse_keyring(path.read_text())
