"""Keyed digests for values that must be found without being stored in the clear."""

import hashlib
import hmac

from django.utils.crypto import salted_hmac

from .keys import keyring

# Labels that separate the keys derived from one secret: a value made for one purpose is
# useless for another.
_RECEIPT_CODE_LABEL = b"integriteit/receipt-code-from-submission-token/v1"
_SESSION_STORAGE_SALT = "integriteit.sessions.storage-key"


def receipt_lookup_key(normalised_code: str) -> str:
    return hmac.new(keyring().receipt_pepper, normalised_code.encode(), hashlib.sha256).hexdigest()


def receipt_code_bytes(submission_token: str) -> bytes:
    """The bytes a receipt code is made of, derived from the random submission token kept in the
    reporter's session (docs/decisions/0005-receipt-codes.md). The key is derived from the
    receipt pepper, which lives outside the database, under its own label: a copy of the
    database holds the token, but nothing that turns it into the code."""
    key = hmac.new(keyring().receipt_pepper, _RECEIPT_CODE_LABEL, hashlib.sha256).digest()
    return hmac.new(key, submission_token.encode(), hashlib.sha256).digest()


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
