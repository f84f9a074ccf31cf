"""Throttling mailbox logins without accounts or client addresses (SECURITY.md; ADR 0005).

Guessing is made slow for the guesser, never impossible for a reporter with her code (issue 10
defect 4: a global block let anyone lock every reporter out with about 60 wrong codes):

- **A wait per attempt that grows with the site-wide failure rate.** The login form carries a
  signed, single-use *challenge* with a not-before time (`issue_challenge`). The wait is 0 while
  few codes fail site-wide in the last minute, then doubles with every further
  `MAILBOX_CALM_FAILURES_PER_MINUTE` failures, up to `MAILBOX_MAX_WAIT_SECONDS`
  (`wait_for`). A submission before its not-before time is not checked at all (`admit` raises
  `TooEarly`); a correct code is always let in once its wait has passed.
- **A lock per code.** A code (lookup key) that failed `MAILBOX_FAILURES_PER_CODE` times is
  refused for the rest of its 15-minute window, which is told (`locked_for`).

The counters are rows of `FailureCounter`, shared by all processes through the database, and an
increment is one UPDATE ... SET count = count + 1: concurrent guesses are all counted (issue 9
defect 7; the database cache's get-then-set lost some). Each row keeps the end of its window,
fixed by its first failure: later failures do not extend it. The site-wide count slides: one row
per `GLOBAL_SLICE` seconds, summed over the slices of the last `GLOBAL_WINDOW`, so the wait does
not drop to 0 each minute during an attack. Spent challenges are rows too, until they expire.
"""

import datetime
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from .models import FailureCounter

GLOBAL_KEY = "mailbox:failures:global"
PER_CODE_WINDOW = 15 * 60
GLOBAL_WINDOW = 60
GLOBAL_SLICE = 10
CHALLENGE_KEY = "mailbox:challenge"
# How long a login form can be used after its wait has passed: time to find and type the code.
CHALLENGE_LIFETIME = 30 * 60
CHALLENGE_SALT = "integriteit.reports.throttle.challenge"
# Tolerated difference between the clocks of the processes that issue and check a challenge.
CLOCK_SKEW = 5
# An insert that loses the race to another process's insert counts on that row instead; the row
# can only lapse in between when a window ends at that very moment, so two tries nearly always do.
INCREMENT_TRIES = 3


class TooEarly(Exception):
    """The challenge's wait has not passed: the code was not checked."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class ChallengeRefused(Exception):
    """The challenge was altered, has expired or was used before: the code was not checked."""


@dataclass(frozen=True)
class Challenge:
    token: str
    wait: int  # seconds from when it was issued


def _now() -> datetime.datetime:
    return datetime.datetime.fromtimestamp(time.time(), tz=datetime.UTC)


def _count(key: str) -> int:
    counter = FailureCounter.objects.filter(key=key, window_ends__gt=_now()).first()
    return counter.count if counter else 0


def _incr(key: str, window_ends: datetime.datetime) -> None:
    now = _now()
    for _try in range(INCREMENT_TRIES):
        with transaction.atomic():
            FailureCounter.objects.filter(key=key, window_ends__lte=now).delete()
            if FailureCounter.objects.filter(key=key).update(count=F("count") + 1):
                return
            try:
                with transaction.atomic():  # a savepoint: a lost race leaves the rest intact
                    FailureCounter.objects.create(key=key, count=1, window_ends=window_ends)
                return
            except IntegrityError:
                continue  # another process started the window: count on its row


def _per_code_key(lookup: str) -> str:
    return f"mailbox:failures:{lookup}"


def _global_slice(now: float) -> tuple[str, datetime.datetime]:
    """This moment's row of the site-wide count, and when it leaves the last minute."""
    start = int(now // GLOBAL_SLICE) * GLOBAL_SLICE
    ends = datetime.datetime.fromtimestamp(start + GLOBAL_SLICE + GLOBAL_WINDOW, tz=datetime.UTC)
    return f"{GLOBAL_KEY}:{start}", ends


def global_failures() -> int:
    """Failed logins site-wide in the last minute (to within one slice)."""
    rows = FailureCounter.objects.filter(
        key__startswith=f"{GLOBAL_KEY}:", window_ends__gt=_now()
    ).aggregate(total=Sum("count"))
    return rows["total"] or 0


def wait_for(failures: int) -> int:
    """Seconds every login waits when `failures` codes failed site-wide in the last minute:
    0 while calm, then 2, 4, 8, 16 … per further `MAILBOX_CALM_FAILURES_PER_MINUTE`, capped."""
    calm = max(1, settings.MAILBOX_CALM_FAILURES_PER_MINUTE)
    cap = settings.MAILBOX_MAX_WAIT_SECONDS
    steps = failures // calm
    if steps == 0:
        return 0
    return min(cap, 2 ** min(steps, 16))


def required_wait() -> int:
    return wait_for(global_failures())


def issue_challenge() -> Challenge:
    """A login form's challenge: signed (nobody can shorten its wait), single use."""
    wait = required_wait()
    payload = {"n": secrets.token_urlsafe(16), "t": int(time.time()), "w": wait}
    return Challenge(signing.dumps(payload, salt=CHALLENGE_SALT, compress=False), wait)


def admit(token: str) -> None:
    """Let one attempt through, or raise before anything about its code is checked.

    A form without a challenge (an old page, a client that does not send one) counts as one
    issued now: let through while nobody has to wait, else `TooEarly` with the current wait."""
    now = time.time()
    if not token:
        wait = required_wait()
        if wait:
            raise TooEarly(wait)
        return
    try:
        payload = signing.loads(token, salt=CHALLENGE_SALT)
        nonce, issued, wait = str(payload["n"]), int(payload["t"]), int(payload["w"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ChallengeRefused from error
    not_before = issued + wait
    expires = not_before + CHALLENGE_LIFETIME
    if issued > now + CLOCK_SKEW or now >= expires:
        raise ChallengeRefused
    if now < not_before:
        raise TooEarly(math.ceil(not_before - now))
    _spend(nonce, expires)


def _spend(nonce: str, expires: float) -> None:
    """Mark a challenge used; a second use is refused (one wait buys one attempt)."""
    try:
        with transaction.atomic():
            FailureCounter.objects.create(
                key=f"{CHALLENGE_KEY}:{nonce}",
                count=1,
                window_ends=datetime.datetime.fromtimestamp(expires, tz=datetime.UTC),
            )
    except IntegrityError as error:
        raise ChallengeRefused from error


def locked_for(lookup: str | None) -> int:
    """Seconds this code stays locked (0: not locked): its failures reached the limit within
    its window."""
    if lookup is None:
        return 0
    counter = FailureCounter.objects.filter(
        key=_per_code_key(lookup), window_ends__gt=_now()
    ).first()
    if counter is None or counter.count < settings.MAILBOX_FAILURES_PER_CODE:
        return 0
    return max(1, math.ceil((counter.window_ends - _now()).total_seconds()))


def is_blocked(lookup: str | None) -> bool:
    return locked_for(lookup) > 0


def record_failure(lookup: str | None) -> None:
    _purge_lapsed()
    now = time.time()
    _incr(*_global_slice(now))
    if lookup is not None:
        _incr(
            _per_code_key(lookup),
            datetime.datetime.fromtimestamp(now + PER_CODE_WINDOW, tz=datetime.UTC),
        )


def clear(lookup: str) -> None:
    FailureCounter.objects.filter(key=_per_code_key(lookup)).delete()


def _purge_lapsed() -> None:
    """Rows of windows that ended: a code tried once would otherwise keep its row for ever."""
    FailureCounter.objects.filter(window_ends__lte=_now()).delete()
