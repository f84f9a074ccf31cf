"""Throttling mailbox logins without accounts or client addresses (SECURITY.md).

Two counters in the shared cache: failures per lookup key (someone retrying one code) and
failures across the whole site per minute (someone guessing many codes). When either is over
its limit, every login answers the same "try again later", so no guess learns anything.

Each counter stores its own window end, and every write passes the remaining time explicitly:
the database cache used in production would otherwise restart the expiry on each increment.
"""

import time

from django.conf import settings
from django.core.cache import cache

GLOBAL_KEY = "mailbox:failures:global"
PER_CODE_WINDOW = 15 * 60
GLOBAL_WINDOW = 60


def _count(key: str) -> int:
    value = cache.get(key)
    if not value or value[1] <= time.time():
        return 0
    return int(value[0])


def _incr(key: str, window: int) -> None:
    now = time.time()
    value = cache.get(key)
    if not value or value[1] <= now:
        count, ends = 1, now + window
    else:
        count, ends = int(value[0]) + 1, float(value[1])
    cache.set(key, (count, ends), timeout=max(1, int(ends - now) + 1))


def _per_code_key(lookup: str) -> str:
    return f"mailbox:failures:{lookup}"


def is_blocked(lookup: str | None) -> bool:
    if _count(GLOBAL_KEY) >= settings.MAILBOX_FAILURES_GLOBAL_PER_MINUTE:
        return True
    if lookup is None:
        return False
    return _count(_per_code_key(lookup)) >= settings.MAILBOX_FAILURES_PER_CODE


def record_failure(lookup: str | None) -> None:
    _incr(GLOBAL_KEY, GLOBAL_WINDOW)
    if lookup is not None:
        _incr(_per_code_key(lookup), PER_CODE_WINDOW)


def clear(lookup: str) -> None:
    cache.delete(_per_code_key(lookup))
