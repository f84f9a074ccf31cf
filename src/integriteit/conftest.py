"""Fixtures shared by every app's tests."""

from pathlib import Path

import pytest
from django.conf import settings

from integriteit import testing
from integriteit.browser_testing import browser  # noqa: F401 (one Chromium for every app)
from integriteit.crypto.keys import keyring, new_key_document, write_key_file


def pytest_configure(config):
    path = Path(settings.INTEGRITEIT_KEY_FILE)
    if not path.exists():
        write_key_file(path, new_key_document())
    keyring.cache_clear()
    Path(settings.BASE_DIR / "var").mkdir(exist_ok=True)


def _flushes_database(request) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase, which ends with a flush."""
    marker = request.node.get_closest_marker("django_db")
    by_marker = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return by_marker or bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _audit_log_emptied_before_flush(request):
    """The audit log refuses deletes (ADR 0006), so the flush that ends a transactional test
    would fail once an entry exists: empty it first, as only a test may. Requesting
    transactional_db here makes sure this runs before its flush."""
    if not _flushes_database(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    testing.remove_audit_entries()


@pytest.fixture
def people(db):
    """The demo organisations and one person per role, by username (see accounts/demo.py)."""
    return testing.load_people()


@pytest.fixture
def staff_client(client):
    """A client for a user who logged in with password and second factor."""

    def login(user):
        return testing.verified_client(user)

    return login


@pytest.fixture
def make_report(people):
    return testing.make_report
