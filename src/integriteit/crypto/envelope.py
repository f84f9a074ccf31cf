"""Envelope encryption: one random data key (DEK) per report, wrapped by the KEK.

Every ciphertext is bound to its record and field through AES-GCM's associated data, so a
ciphertext copied to another row or field fails to decrypt (docs/security.md, SECURITY.md "Keys").
This module is the only place that touches key material; the rest of the code sees `Sealer`.
New data keys are wrapped only under a key document that fits the database (`keycheck`, ADR 0011),
so a wrong document cannot seal reports under a KEK nobody keeps.
"""

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keycheck import checked_keyring
from .keys import KeyRing, keyring

NONCE_BYTES = 12
FORMAT_VERSION = b"\x01"


class DecryptionError(Exception):
    """A ciphertext was altered, moved to another record or field, or the key is wrong.

    `owner`, `record` and `field` say which stored value failed (ids and field names only, never
    contents), so whoever catches it can flag that record (integriteit.ui.integrity)."""

    def __init__(self, message: str, *, owner: str = "", record: str = "", field: str = ""):
        super().__init__(message)
        self.owner = owner
        self.record = record
        self.field = field


@dataclass(frozen=True)
class WrappedKey:
    ciphertext: bytes
    kek_version: str


def _aad(*parts: str) -> bytes:
    return "\x1f".join(parts).encode()


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_VERSION:
        raise DecryptionError("Ciphertext has an unknown format.")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as error:
        raise DecryptionError("Ciphertext failed authentication.") from error


def wrap(dek: bytes, owner: str) -> WrappedKey:
    ring = checked_keyring()
    aad = _aad("dek", owner, ring.current_kek)
    return WrappedKey(_seal(ring.current, dek, aad), ring.current_kek)


def unwrap(wrapped: WrappedKey, owner: str) -> bytes:
    return unwrap_with(keyring(), wrapped, owner)


def unwrap_with(ring: KeyRing, wrapped: WrappedKey, owner: str) -> bytes:
    """Unwrap with a given document (the key check tries a document before it is used)."""
    try:
        kek = ring.keks[wrapped.kek_version]
    except KeyError as error:
        raise DecryptionError(
            f"KEK version {wrapped.kek_version} is not available.", owner=owner, record="dek"
        ) from error
    try:
        return _open(kek, wrapped.ciphertext, _aad("dek", owner, wrapped.kek_version))
    except DecryptionError as error:
        error.owner, error.record = owner, "dek"
        raise


def rewrap(wrapped: WrappedKey, owner: str) -> WrappedKey:
    return wrap(unwrap(wrapped, owner), owner)


class Sealer:
    """Encrypts and decrypts the fields of one owner (a report) under its data key."""

    def __init__(self, dek: bytes, owner: str) -> None:
        self._dek = dek
        self._owner = owner

    @classmethod
    def new(cls, owner: str) -> tuple["Sealer", WrappedKey]:
        dek = AESGCM.generate_key(bit_length=256)
        return cls(dek, owner), wrap(dek, owner)

    @classmethod
    def from_wrapped(cls, wrapped: WrappedKey, owner: str) -> "Sealer":
        return cls(unwrap(wrapped, owner), owner)

    def seal(self, record: str, field: str, plaintext: bytes) -> bytes:
        return _seal(self._dek, plaintext, _aad(self._owner, record, field))

    def open(self, record: str, field: str, blob: bytes) -> bytes:
        try:
            return _open(self._dek, bytes(blob), _aad(self._owner, record, field))
        except DecryptionError as error:
            error.owner, error.record, error.field = self._owner, record, field
            raise

    def seal_text(self, record: str, field: str, text: str) -> bytes:
        return self.seal(record, field, text.encode())

    def open_text(self, record: str, field: str, blob: bytes) -> str:
        return self.open(record, field, blob).decode()
