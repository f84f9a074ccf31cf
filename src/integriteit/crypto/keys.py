"""The keys that live outside the database (docs/decisions/0003-envelope-encryption.md).

One JSON document, from the file INTEGRITEIT_KEY_FILE or the variable INTEGRITEIT_KEYS:

    {"keks": {"1": "<base64 32 bytes>", ...}, "current_kek": "1",
     "receipt_pepper": "<base64>", "audit_key": "<base64>", "exclusion_key": "<base64>"}

Old KEK versions stay in "keks" until `manage.py rewrap_keys` has re-wrapped every data key.
"""

import base64
import json
import os
import secrets
from dataclasses import dataclass
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


def _b64(value: str) -> bytes:
    raw = base64.b64decode(value)
    if len(raw) < 32:
        raise ImproperlyConfigured("Every key must be at least 32 bytes.")
    return raw


def parse_keyring(document: str) -> KeyRing:
    data = json.loads(document)
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


def new_key_document(existing: KeyRing | None = None) -> str:
    """A key document with a fresh KEK; existing keys are kept so that old data stays readable."""

    def fresh() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    def enc(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

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
    keks = {v: enc(k) for v, k in existing.keks.items()} | {version: fresh()}
    return json.dumps(
        {
            "keks": keks,
            "current_kek": version,
            "receipt_pepper": enc(existing.receipt_pepper),
            "audit_key": enc(existing.audit_key),
            "exclusion_key": enc(existing.exclusion_key),
        },
        indent=2,
    )


def write_key_file(path: Path, document: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(document)


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
