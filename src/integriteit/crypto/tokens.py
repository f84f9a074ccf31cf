"""Keyed digests for values that must be found without being stored in the clear."""

import hashlib
import hmac

from .keys import keyring


def receipt_lookup_key(normalised_code: str) -> str:
    return hmac.new(keyring().receipt_pepper, normalised_code.encode(), hashlib.sha256).hexdigest()


def person_tag(person_id: int, purpose: str = "person") -> str:
    """An opaque tag for a person: excluded from a report (docs/decisions/0004-exclusions.md),
    or, with another `purpose`, referred to in a case (docs/decisions/0013): tags of different
    purposes cannot be matched with each other."""
    return hmac.new(
        keyring().exclusion_key, f"{purpose}:{person_id}".encode(), hashlib.sha256
    ).hexdigest()


def audit_mac(payload: bytes) -> str:
    return hmac.new(keyring().audit_key, payload, hashlib.sha256).hexdigest()
