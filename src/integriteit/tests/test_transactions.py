"""atomic_with_retry runs a transaction again when PostgreSQL aborts it for a deadlock or a
serialisation failure, and only when it is the outermost transaction (issue 8 item 1)."""

import threading

import pytest
from django.db import DatabaseError, OperationalError, connection, connections

from integriteit import transactions
from integriteit.organisations.models import Organisation
from integriteit.organisations.tests.factories import OrganisationFactory
from integriteit.transactions import ATTEMPTS, atomic_with_retry


class _Cause(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _lost(sqlstate: str = "40P01") -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _Cause(sqlstate)
    return error


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    monkeypatch.setattr(transactions.time, "sleep", lambda seconds: None)


def _failing(times: int, error_of=_lost):
    calls = []

    @atomic_with_retry
    def work():
        calls.append(connection.in_atomic_block)
        if len(calls) <= times:
            raise error_of()
        return "done"

    return work, calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_outermost_transaction_is_run_again(sqlstate):
    work, calls = _failing(2, lambda: _lost(sqlstate))
    assert work() == "done"
    assert calls == [True, True, True]  # three attempts, each in its own transaction


@pytest.mark.django_db(transaction=True)
def test_gives_up_after_the_last_attempt():
    work, calls = _failing(ATTEMPTS)
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried():
    work, calls = _failing(1, lambda: DatabaseError("something else"))
    with pytest.raises(DatabaseError):
        work()
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_an_outer_transaction_the_error_goes_up():
    """The test itself runs in a transaction: the outer owner decides, nothing is retried."""
    work, calls = _failing(1)
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs write transactions one at a time, so two of them cannot deadlock",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_deadlock_is_survived():
    """Two transactions lock two rows in opposite order; PostgreSQL aborts one (40P01), which
    is run again once the other has finished."""
    first, second = OrganisationFactory.create_batch(2)
    both_hold_one = threading.Barrier(2)
    attempts: list[str] = []
    errors: list[BaseException] = []

    def locker(name: str, order: tuple[Organisation, Organisation]):
        @atomic_with_retry
        def lock_both():
            attempts.append(name)
            Organisation.objects.select_for_update().get(pk=order[0].pk)
            if attempts.count(name) == 1:
                both_hold_one.wait()
            Organisation.objects.select_for_update().get(pk=order[1].pk)

        def run():
            try:
                lock_both()
            except BaseException as error:
                errors.append(error)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    threads = [locker("a", (first, second)), locker("b", (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(attempts) == 3  # one of the two was aborted once and run again
