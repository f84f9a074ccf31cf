"""Throttling mailbox logins without accounts or client addresses (SECURITY.md).

Two counters: failures per lookup key (someone retrying one code) and failures across the whole
site per minute (someone guessing many codes). When either is over its limit, every login answers
the same "try again later", so no guess learns anything.

The counters are rows of `FailureCounter`, shared by all processes through the database, and an
increment is one UPDATE ... SET count = count + 1: concurrent guesses are all counted (issue 9
defect 7; the database cache's get-then-set lost some). Each row keeps the end of its window,
fixed by the first failure: later failures do not extend it (ADR 0005).
"""

import datetime
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import FailureCounter

GLOBAL_KEY = "mailbox:failures:global"
PER_CODE_WINDOW = 15 * 60
GLOBAL_WINDOW = 60
# An insert that loses the race to another process's insert counts on that row instead; the row
# can only lapse in between when a window ends at that very moment, so two tries nearly always do.
INCREMENT_TRIES = 3


def _now() -> datetime.datetime:
    return datetime.datetime.fromtimestamp(time.time(), tz=datetime.UTC)


def _count(key: str) -> int:
    counter = FailureCounter.objects.filter(key=key, window_ends__gt=_now()).first()
    return counter.count if counter else 0


def _incr(key: str, window: int) -> None:
    now = _now()
    for _try in range(INCREMENT_TRIES):
        with transaction.atomic():
            FailureCounter.objects.filter(key=key, window_ends__lte=now).delete()
            if FailureCounter.objects.filter(key=key).update(count=F("count") + 1):
                return
            try:
                with transaction.atomic():  # a savepoint: a lost race leaves the rest intact
                    FailureCounter.objects.create(
                        key=key, count=1, window_ends=now + datetime.timedelta(seconds=window)
                    )
                return
            except IntegrityError:
                continue  # another process started the window: count on its row


def _per_code_key(lookup: str) -> str:
    return f"mailbox:failures:{lookup}"


def is_blocked(lookup: str | None) -> bool:
    if _count(GLOBAL_KEY) >= settings.MAILBOX_FAILURES_GLOBAL_PER_MINUTE:
        return True
    if lookup is None:
        return False
    return _count(_per_code_key(lookup)) >= settings.MAILBOX_FAILURES_PER_CODE


def record_failure(lookup: str | None) -> None:
    _purge_lapsed()
    _incr(GLOBAL_KEY, GLOBAL_WINDOW)
    if lookup is not None:
        _incr(_per_code_key(lookup), PER_CODE_WINDOW)


def clear(lookup: str) -> None:
    FailureCounter.objects.filter(key=_per_code_key(lookup)).delete()


def _purge_lapsed() -> None:
    """Rows of windows that ended: a code tried once would otherwise keep its row for ever."""
    FailureCounter.objects.filter(window_ends__lte=_now()).delete()
