"""Fixtures shared by every app's tests."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from integriteit import testing
from integriteit.accounts.models import User
from integriteit.browser_testing import browser  # noqa: F401 (one Chromium for every app)
from integriteit.crypto.keycheck import checked_keyring
from integriteit.crypto.keys import keyring, new_key_document, write_key_file

# Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (`make test` and so CI: "ci").
# ci: the same examples on every run and every machine (derandomize; no example database to
# carry over), fewer of them, and no per-example deadline: a test that hits the database on a
# shared runner is slow without being wrong. dev (the default): random examples, the usual
# number, failures remembered in .hypothesis/ and tried first next time.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=30,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config):
    path = Path(settings.INTEGRITEIT_KEY_FILE)
    if not path.exists():
        write_key_file(path, new_key_document())
    keyring.cache_clear()
    Path(settings.BASE_DIR / "var").mkdir(exist_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Check the key document against the test database once, before any test: its fingerprints
    are recorded outside every test's transaction, and no test's queries include the check (ADR
    0011). A kept test database (--reuse-db) holds an earlier run's fingerprints, but each run
    has a new key file (conf/test.py): those go first."""
    from integriteit.crypto.models import KeyFingerprint

    with django_db_blocker.unblock():
        KeyFingerprint.objects.all().delete()
        checked_keyring()


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
def key_file():
    """The shared key file, for a test that changes it; restored afterwards (other tests in this
    process use it)."""
    path = Path(settings.INTEGRITEIT_KEY_FILE)
    original = path.read_text()
    keyring.cache_clear()
    yield path
    write_key_file(path, original)
    keyring.cache_clear()


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


@pytest.fixture
def make_staff(people):
    """Another staff member beside the demo people: `make_staff(Role.COORDINATOR, "bzk",
    username=...)` holds that role in that demo organisation and has a second factor."""
    from integriteit.accounts.tests.factories import RoleAssignmentFactory
    from integriteit.organisations.models import Organisation

    def make(role: str, organisation: str = "bzk", **user_fields) -> User:
        assignment = RoleAssignmentFactory.create(
            role=role,
            organisation=Organisation.objects.get(slug=organisation),
            **{f"user__{name}": value for name, value in user_fields.items()},
        )
        return assignment.user

    return make


@pytest.fixture
def no_upload_spooling(monkeypatch):
    """Fails the test when an upload is written to a temporary file: attachment plaintext must
    never touch the disk before it is encrypted (issue 8 item 9)."""
    from django.core.files import temp  # what TemporaryUploadedFile writes with

    def spooled(*args, **kwargs):
        pytest.fail("an upload was spooled to a temporary file, in clear")

    monkeypatch.setattr(temp, "NamedTemporaryFile", spooled)


@pytest.fixture
def without_notifications(monkeypatch):
    """For tests that count one module's own mail and reminders: the notifications of staff
    (new report, messages, assignments, waiting steps) and the escalations are left out; they
    have their own tests (notifications/tests)."""
    from integriteit.cases import reminders
    from integriteit.notifications import escalation, receivers

    receivers.disconnect()
    monkeypatch.setattr(
        reminders,
        "_senders",
        [s for s in reminders._senders if s is not escalation.send_due_escalations],
    )
    yield
    receivers.connect()
