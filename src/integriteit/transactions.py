"""Write transactions that are run again when they lose a race (issue 8 item 1; ADR 0006).

PostgreSQL aborts one of two transactions that deadlock (SQLSTATE 40P01) or that cannot be
serialised (40001); the remedy it documents is to run the aborted one again. `atomic_with_retry`
does that for a service function, a few times, after a short random pause so that the two do not
collide again. Only the outermost transaction can be run again: inside an outer one the error has
already aborted the outer transaction, so it goes up to whoever owns that one.

Cross-cutting (CONVENTIONS.md), beside `urls.py` and `wsgi.py` rather than in an app: it is about
the database connection, not about any module's data, and imports nothing from them.
"""

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import structlog
from django.db import DatabaseError, transaction

logger = structlog.get_logger(__name__)

RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
ATTEMPTS = 4
# Random pauses before the next attempt: up to 50 ms, then up to 100 ms, then up to 200 ms.
FIRST_PAUSE_SECONDS = 0.05

P = ParamSpec("P")
R = TypeVar("R")


def lost_a_race(error: BaseException) -> bool:
    """True when the database aborted the transaction for a deadlock or serialisation failure
    (psycopg gives the SQLSTATE on the error Django wraps)."""
    return getattr(error.__cause__, "sqlstate", None) in RETRY_SQLSTATES


def atomic_with_retry(function: Callable[P, R]) -> Callable[P, R]:
    """`transaction.atomic`, and when this is the outermost transaction, run again on 40001 and
    40P01. The function must keep its side effects inside the transaction (mail and other
    after-effects through `transaction.on_commit`), as the services do."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                return function(*args, **kwargs)
        attempt = 1
        while True:
            try:
                with transaction.atomic():
                    return function(*args, **kwargs)
            except DatabaseError as error:
                if attempt == ATTEMPTS or not lost_a_race(error):
                    raise
                pause = random.uniform(0, FIRST_PAUSE_SECONDS * 2 ** (attempt - 1))  # noqa: S311 - jitter, not a secret
                logger.warning(
                    "transaction lost a race",
                    function=function.__qualname__,
                    sqlstate=getattr(error.__cause__, "sqlstate", ""),
                    attempt=attempt,
                    attempts=ATTEMPTS,
                    pause_ms=round(pause * 1000),
                )
                time.sleep(pause)
                attempt += 1

    return run
