"""Keyed digests for values that must be found without being stored in the clear.

Each takes its key from a document that fits the database (`keycheck.checked_keyring`, ADR 0011):
under a wrong pepper a valid receipt code would be "not known", under a wrong exclusion key a
person named in a report would no longer be kept out of it. Only the key check itself passes the
document it is trying (`ring=`).
"""

import hashlib
import hmac

from .keycheck import checked_keyring
from .keys import KeyRing


def receipt_lookup_key(normalised_code: str) -> str:
    key = checked_keyring().receipt_pepper
    return hmac.new(key, normalised_code.encode(), hashlib.sha256).hexdigest()


def person_tag(person_id: int, *, ring: KeyRing | None = None) -> str:
    """An opaque tag for a person excluded from a report (docs/decisions/0004-exclusions.md)."""
    key = (ring or checked_keyring()).exclusion_key
    return hmac.new(key, f"person:{person_id}".encode(), hashlib.sha256).hexdigest()


def audit_mac(payload: bytes, *, ring: KeyRing | None = None) -> str:
    return hmac.new((ring or checked_keyring()).audit_key, payload, hashlib.sha256).hexdigest()
