"""Concurrent work on one case: no errors, no lost writes, and the audit chain verifies (issue 8
item 1; ADR 0006).

Threads with their own database connections do real service calls on the same report at the same
time: staff messages, the acknowledgement and a phase change, interim feedback (each locks the
report), audited reads, and reporter replies. Before ADR 0006's lock-free append, a service that
locked the report and then audited deadlocked against one that had inserted a message and then
audited (the deferred foreign-key check takes its row lock at commit).
"""

import threading
from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connections

from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.cases import services as case_services
from integriteit.cases.constants import FeedbackKind
from integriteit.cases.models import Feedback
from integriteit.cases.tests.flow import verified
from integriteit.reports import services as report_services
from integriteit.reports.constants import MessageKind, Phase, Sender
from integriteit.reports.models import Message, Report

ROUNDS = 8


def _run_concurrently(workers: dict[str, Callable[[], None]]) -> dict[str, list[BaseException]]:
    """Start every worker at once, each in its own thread and database connection; return the
    exceptions each one raised."""
    start = threading.Barrier(len(workers))
    errors: dict[str, list[BaseException]] = {name: [] for name in workers}

    def run(name: str, work: Callable[[], None]) -> None:
        try:
            start.wait()
            work()
        except BaseException as error:
            errors[name].append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in workers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_work_on_one_case_loses_nothing(people, make_report):
    """On SQLite write transactions run one at a time (BEGIN IMMEDIATE), so nothing can deadlock
    there; the test runs on both and proves on both that no write is lost."""
    report, _code = make_report()
    coordinator = verified(people["coordinator"])
    done: Counter[str] = Counter()
    failed: list[tuple[str, BaseException]] = []
    acknowledged = threading.Event()

    def attempt(what: str, call: Callable[[], object]) -> None:
        try:
            call()
        except Exception as error:
            failed.append((what, error))
        else:
            done[what] += 1

    def fresh() -> Report:
        return Report.objects.get(pk=report.pk)

    def interim_feedback(text: str) -> None:
        case_services.give_interim_feedback(coordinator, fresh(), text)

    def staff_message(text: str) -> None:
        case_services.send_message(coordinator, fresh(), text)

    def reporter_reply(text: str) -> None:
        report_services.reporter_reply(fresh(), text)

    def phases() -> None:
        try:
            attempt(
                "acknowledge", lambda: case_services.acknowledge(coordinator, fresh(), "Ontvangen.")
            )
        finally:
            acknowledged.set()
        attempt("start assessment", lambda: case_services.start_assessment(coordinator, fresh()))

    def feedback() -> None:
        acknowledged.wait()
        for n in range(ROUNDS):
            text = f"Stand van zaken {n}."
            attempt("interim feedback", partial(interim_feedback, text))

    def staff_messages() -> None:
        for n in range(ROUNDS):
            text = f"Vraag {n}?"
            attempt("staff message", partial(staff_message, text))

    def reads() -> None:
        for _n in range(ROUNDS):
            attempt("read", lambda: report_services.record_read(coordinator, fresh(), "report"))

    def replies(who: str) -> Callable[[], None]:
        def reply() -> None:
            for n in range(ROUNDS):
                text = f"Antwoord {who} {n}."
                attempt("reporter reply", partial(reporter_reply, text))

        return reply

    crashed = _run_concurrently(
        {
            "phases": phases,
            "feedback": feedback,
            "staff messages": staff_messages,
            "reads": reads,
            "replies a": replies("a"),
            "replies b": replies("b"),
        }
    )
    assert not any(crashed.values()), crashed

    attempted = {
        "acknowledge": 1,
        "start assessment": 1,
        "interim feedback": ROUNDS,
        "staff message": ROUNDS,
        "read": ROUNDS,
        "reporter reply": 2 * ROUNDS,
    }
    stored = {
        "acknowledge": Message.objects.filter(
            report=report, kind=MessageKind.ACKNOWLEDGEMENT
        ).count(),
        "start assessment": int(fresh().phase == Phase.ASSESSMENT),
        "interim feedback": Feedback.objects.filter(
            report=report, kind=FeedbackKind.INTERIM
        ).count(),
        "staff message": Message.objects.filter(report=report, kind=MessageKind.QUESTION).count(),
        "read": AuditEntry.objects.filter(action="report.read", object_id=str(report.pk)).count(),
        "reporter reply": Message.objects.filter(report=report, sender=Sender.REPORTER).count(),
    }
    errors = len(failed)
    lost = sum(attempted[what] - stored[what] for what in attempted)
    print(
        f"concurrent work on one case: {sum(attempted.values())} calls, {errors} errors, {lost} lost writes"
    )
    assert (errors, lost) == (0, 0), (failed, stored)
    assert dict(done) == attempted

    audited = Counter(
        AuditEntry.objects.filter(object_id=str(report.pk)).values_list("action", flat=True)
    )
    assert audited["message.received"] == 2 * ROUNDS
    assert audited["message.sent"] == ROUNDS
    assert audited["case.feedback_interim"] == ROUNDS
    assert audited["case.acknowledge"] == audited["case.start_assessment"] == 1
    # Every recording transaction chained its entries after its commit: none is left over.
    chain = verify_chain()
    assert chain.intact, chain.reason
    assert (chain.checked, chain.unchained) == (AuditEntry.objects.count(), 0)
