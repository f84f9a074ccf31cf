"""The mailbox throttle counts every failure, also concurrent ones, in windows that later
failures do not extend (issue 9 defect 7; ADR 0005); site-wide failures only make logins wait
(issue 10 defect 4, test_mailbox_wait.py)."""

import threading

import pytest
from django.db import connection, connections

from integriteit.reports import throttle
from integriteit.reports.models import FailureCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    return now


def test_per_code_window_is_not_extended_by_later_failures(settings, clock):
    settings.MAILBOX_FAILURES_PER_CODE = 3
    for minute in (0, 5, 14):
        clock[0] = 1_000_000.0 + minute * 60
        throttle.record_failure("lookup")
    assert throttle.is_blocked("lookup")
    assert throttle.locked_for("lookup") == 60  # what is left of the first failure's window
    clock[0] = 1_000_000.0 + throttle.PER_CODE_WINDOW + 1  # 15 minutes after the first failure
    assert not throttle.is_blocked("lookup")


def test_site_wide_failures_block_no_code_and_lapse(settings, clock):
    settings.MAILBOX_CALM_FAILURES_PER_MINUTE = 5
    for index in range(50):
        throttle.record_failure(f"guess-{index}")
    assert not throttle.is_blocked("another-code") and not throttle.is_blocked(None)
    assert throttle.required_wait() > 0
    clock[0] += throttle.GLOBAL_WINDOW + throttle.GLOBAL_SLICE
    assert throttle.global_failures() == 0 and throttle.required_wait() == 0


def test_each_failure_counts_once_and_a_lapsed_window_starts_at_one(clock):
    for _ in range(4):
        throttle.record_failure("lookup")
    assert throttle._count(throttle._per_code_key("lookup")) == 4
    assert throttle.global_failures() == 4
    clock[0] += throttle.PER_CODE_WINDOW + 1
    assert throttle._count(throttle._per_code_key("lookup")) == 0
    throttle.record_failure("lookup")
    assert throttle._count(throttle._per_code_key("lookup")) == 1
    # The lapsed rows went: a code tried once does not keep a row for ever.
    assert set(FailureCounter.objects.values_list("key", flat=True)) == {
        throttle._global_slice(clock[0])[0],
        throttle._per_code_key("lookup"),
    }


def test_clear_forgets_one_code_only(clock):
    throttle.record_failure("one")
    throttle.record_failure("two")
    throttle.clear("one")
    assert throttle._count(throttle._per_code_key("one")) == 0
    assert throttle._count(throttle._per_code_key("two")) == 1
    assert throttle.global_failures() == 2


THREADS = 8
FAILURES_PER_THREAD = 25


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises every writer: no race to lose"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted():
    """Eight processes' worth of guesses at once, each thread on its own connection: with the
    cache's get-then-set, increments read the same value and overwrote each other."""
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def guess() -> None:
        try:
            start.wait()
            for _ in range(FAILURES_PER_THREAD):
                throttle.record_failure("contested")
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected = THREADS * FAILURES_PER_THREAD
    assert throttle._count(throttle._per_code_key("contested")) == expected
    assert throttle.global_failures() == expected
