"""Keyed digests for values that must be found without being stored in the clear, and the seals
that authenticate the rows deciding access (docs/decisions/0012-access-seals.md).

Each takes its key from a document that fits the database (`keycheck.checked_keyring`, ADR 0011):
under a wrong pepper a valid receipt code would be "not known", under a wrong exclusion key a
person named in a report would no longer be kept out of it. Only the key check itself passes the
document it is trying (`ring=`).
"""

import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.crypto import salted_hmac

from .keycheck import checked_keyring
from .keys import KeyRing

# The seal key is derived from the audit key under its own label, so the key document keeps its
# format and its fingerprint; the audit key survives KEK rotation, so seals do too (ADR 0012).
ACCESS_SEAL_LABEL = b"integriteit/access-seal/v1"

SealField = str | int | bool | None | list[str]

# Labels that separate the keys derived from one secret: a value made for one purpose is
# useless for another.
_RECEIPT_CODE_LABEL = b"integriteit/receipt-code-from-submission-token/v1"
_SESSION_STORAGE_SALT = "integriteit.sessions.storage-key"


def receipt_lookup_key(normalised_code: str) -> str:
    key = checked_keyring().receipt_pepper
    return hmac.new(key, normalised_code.encode(), hashlib.sha256).hexdigest()


def receipt_code_bytes(submission_token: str) -> bytes:
    """The bytes a receipt code is made of, derived from the random submission token kept in the
    reporter's session (docs/decisions/0005-receipt-codes.md). The key is derived from the
    receipt pepper, which lives outside the database, under its own label: a copy of the
    database holds the token, but nothing that turns it into the code."""
    key = hmac.new(checked_keyring().receipt_pepper, _RECEIPT_CODE_LABEL, hashlib.sha256).digest()
    return hmac.new(key, submission_token.encode(), hashlib.sha256).digest()


def session_storage_key(session_key: str) -> str:
    """What the database stores instead of a session key (integriteit.ui.sessions): a keyed
    digest under SECRET_KEY, so a copy of django_session cannot be replayed as a cookie.
    40 hex characters (160 bits), the width of Django's session_key column."""
    return salted_hmac(_SESSION_STORAGE_SALT, session_key, algorithm="sha256").hexdigest()[:40]


def person_tag(person_id: int, purpose: str = "person", *, ring: KeyRing | None = None) -> str:
    """An opaque tag for a person: excluded from a report (docs/decisions/0004-exclusions.md),
    or, with another `purpose`, referred to in a case (docs/decisions/0013): tags of different
    purposes cannot be matched with each other."""
    key = (ring or checked_keyring()).exclusion_key
    return hmac.new(key, f"{purpose}:{person_id}".encode(), hashlib.sha256).hexdigest()


def audit_mac(payload: bytes, *, ring: KeyRing | None = None) -> str:
    return hmac.new((ring or checked_keyring()).audit_key, payload, hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _access_seal_key(audit_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=ACCESS_SEAL_LABEL).derive(
        audit_key
    )


def access_seal(purpose: str, *fields: SealField, ring: KeyRing | None = None) -> str:
    """The seal of a row: HMAC-SHA256 under a key outside the database over the purpose (which
    kind of row) and the fields that decide access, as canonical JSON. Someone who can write to
    the database but does not hold the key document cannot make a row that passes. Data
    migrations pass `ring` (the key check runs at start, once the schema is complete)."""
    message = json.dumps([purpose, *fields], separators=(",", ":"), ensure_ascii=True)
    key = _access_seal_key((ring or checked_keyring()).audit_key)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def seal_matches(stored: str, purpose: str, *fields: SealField) -> bool:
    """Whether `stored` is the seal of these fields (compared in constant time)."""
    return hmac.compare_digest(stored or "", access_seal(purpose, *fields))
