"""Throttling mailbox logins without accounts or client addresses (SECURITY.md).

Two counters in the shared cache: failures per lookup key (someone retrying one code) and
failures across the whole site per minute (someone guessing many codes). When either is over
its limit, every login answers the same "try again later", so no guess learns anything.
"""

from django.conf import settings
from django.core.cache import cache

GLOBAL_KEY = "mailbox:failures:global"
PER_CODE_WINDOW = 15 * 60
GLOBAL_WINDOW = 60


def _incr(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def is_blocked(lookup: str | None) -> bool:
    if (cache.get(GLOBAL_KEY) or 0) >= settings.MAILBOX_FAILURES_GLOBAL_PER_MINUTE:
        return True
    if lookup is None:
        return False
    return (cache.get(f"mailbox:failures:{lookup}") or 0) >= settings.MAILBOX_FAILURES_PER_CODE


def record_failure(lookup: str | None) -> None:
    _incr(GLOBAL_KEY, GLOBAL_WINDOW)
    if lookup is not None:
        _incr(f"mailbox:failures:{lookup}", PER_CODE_WINDOW)


def clear(lookup: str) -> None:
    cache.delete(f"mailbox:failures:{lookup}")
