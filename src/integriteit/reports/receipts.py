"""Receipt codes for the anonymous mailbox (SECURITY.md "Receipt codes").

A code is 16 characters of Crockford's base32 (80 bits), shown in four groups of four. The
alphabet has no I, L, O or U, and reading is forgiving: case, spaces and dashes are ignored and
O/I/L are read as 0/1/1, so a code copied by hand still works. The database holds only an HMAC
lookup key (pepper outside the database) and an argon2id hash.

A code is never stored, not even in the session: it is derived from a random submission token
with a key outside the database (`code_for`), so the page that shows it can be reloaded and a
repeated submit finds the same report (docs/decisions/0005-receipt-codes.md).
"""

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings

from integriteit.crypto.tokens import receipt_code_bytes, receipt_lookup_key

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits of entropy
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_submission_token() -> str:
    """128 random bits; the receipt code is derived from it (`code_for`)."""
    return secrets.token_urlsafe(16)


def code_for(submission_token: str) -> str:
    """The receipt code that belongs to a submission token: the first 80 bits of a keyed
    digest, five bits per character."""
    bits = int.from_bytes(receipt_code_bytes(submission_token)[:10], "big")
    return "".join(
        ALPHABET[(bits >> (5 * (CODE_LENGTH - 1 - i))) & 0b11111] for i in range(CODE_LENGTH)
    )


def display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(entered: str) -> str | None:
    """The canonical code, or None when what was entered cannot be a code at all."""
    cleaned = "".join(ch for ch in entered.upper() if ch not in " -\t\n").translate(_READ_AS)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.RECEIPT_ARGON2_TIME_COST,
        memory_cost=settings.RECEIPT_ARGON2_MEMORY_KIB,
        parallelism=1,
        type=Type.ID,
    )


def lookup_key(code: str) -> str:
    return receipt_lookup_key(code)


def hash_code(code: str) -> str:
    return _hasher().hash(code)


def verify(stored_hash: str, code: str) -> bool:
    try:
        return _hasher().verify(stored_hash, code)
    except (VerificationError, InvalidHashError):
        return False


def burn_equal_time(code: str) -> None:
    """Spend the time a real verification takes, so a miss is not faster than a hit."""
    _hasher().hash(code)
