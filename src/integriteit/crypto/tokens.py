"""Keyed digests for values that must be found without being stored in the clear."""

import hashlib
import hmac

from django.utils.crypto import salted_hmac

from .keys import keyring

_SESSION_STORAGE_SALT = "integriteit.sessions.storage-key"


def receipt_lookup_key(normalised_code: str) -> str:
    return hmac.new(keyring().receipt_pepper, normalised_code.encode(), hashlib.sha256).hexdigest()


def session_storage_key(session_key: str) -> str:
    """What the database stores instead of a session key (integriteit.ui.sessions): a keyed
    digest under SECRET_KEY, so a copy of django_session cannot be replayed as a cookie.
    40 hex characters (160 bits), the width of Django's session_key column."""
    return salted_hmac(_SESSION_STORAGE_SALT, session_key, algorithm="sha256").hexdigest()[:40]


def person_tag(person_id: int) -> str:
    """An opaque tag for a person excluded from a report (docs/decisions/0004-exclusions.md)."""
    return hmac.new(
        keyring().exclusion_key, f"person:{person_id}".encode(), hashlib.sha256
    ).hexdigest()


def audit_mac(payload: bytes) -> str:
    return hmac.new(keyring().audit_key, payload, hashlib.sha256).hexdigest()
