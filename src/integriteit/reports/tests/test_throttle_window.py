"""The mailbox throttle's windows hold with any cache backend: failures do not extend them."""

import pytest
from django.core.cache import cache

from integriteit.reports import throttle


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_per_code_window_is_not_extended_by_later_failures(settings, monkeypatch):
    settings.MAILBOX_FAILURES_PER_CODE = 3
    settings.MAILBOX_FAILURES_GLOBAL_PER_MINUTE = 1000
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: clock[0])
    for minute in (0, 5, 14):
        clock[0] = 1_000_000.0 + minute * 60
        throttle.record_failure("lookup")
    assert throttle.is_blocked("lookup")
    clock[0] = 1_000_000.0 + throttle.PER_CODE_WINDOW + 1  # 15 minutes after the first failure
    assert not throttle.is_blocked("lookup")


def test_global_limit_blocks_every_code_then_lapses(settings, monkeypatch):
    settings.MAILBOX_FAILURES_GLOBAL_PER_MINUTE = 5
    clock = [2_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: clock[0])
    for index in range(5):
        throttle.record_failure(f"guess-{index}")
    assert throttle.is_blocked("another-code") and throttle.is_blocked(None)
    clock[0] += throttle.GLOBAL_WINDOW + 1
    assert not throttle.is_blocked("another-code")
