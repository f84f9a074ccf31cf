"""Reminders of due work (issue 3 §7): idempotent, each due reminder sent exactly once."""

import datetime
import io
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integriteit.cases import reminders, services
from integriteit.cases.constants import AftercareAudience, CaseRole, ReminderKind
from integriteit.cases.models import AftercareAction, CaseAssignment, Evaluation, ReminderLog
from integriteit.cases.reminders import send_due_reminders
from integriteit.reports.constants import MessageKind, Phase
from integriteit.reports.models import Report
from integriteit.reports.sealing import open_message_body, sealer_for

from .flow import verified

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_notifications")]

DESCRIPTION = "Jan Jansen vervalst bonnen bij inkoop op de derde verdieping."
REPORTER_NAME = "Karin Klokkenluider"
DAY = datetime.timedelta(days=1)
K = ReminderKind


def acknowledgement_due(report: Report) -> datetime.datetime:
    """The R3 term, stored when a report is received (every report here is)."""
    assert report.acknowledgement_due is not None
    return report.acknowledgement_due


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the reminders at a moment, with the after-commit mail sent as in production."""

    def at(moment: datetime.datetime) -> reminders.ReminderRun:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(moment)

    return at


def new_report(make_report, people, **options) -> Report:
    report, _code = make_report(
        description=DESCRIPTION,
        name=REPORTER_NAME,
        email="karin@example.org",
        involved=(people["employee"],),
        **options,
    )
    return report


def acknowledged(make_report, people) -> Report:
    report = new_report(make_report, people)
    services.acknowledge(verified(people["coordinator"]), report, "Ontvangen.")
    return fresh(report)


def test_run_twice_sends_nothing_the_second_time(people, make_report, run):
    report = new_report(make_report, people)
    moment = acknowledgement_due(report) + DAY
    first = run(moment)
    assert first.counts[K.ACKNOWLEDGEMENT] == 1
    sent = len(mail.outbox)
    assert sent >= 1
    second = run(moment)
    assert second.total == 0 and len(mail.outbox) == sent
    assert ReminderLog.objects.filter(report=report).count() == first.total


def test_nothing_is_due_for_a_fresh_report(people, make_report, run):
    report = new_report(make_report, people)
    assert report.received_at is not None
    assert run(report.received_at + datetime.timedelta(hours=1)).total == 0
    assert mail.outbox == []


def test_acknowledgement_due_soon_and_again_when_overdue(people, make_report, run, settings):
    report = new_report(make_report, people)
    due = acknowledgement_due(report)
    near = datetime.timedelta(days=settings.DUE_SOON_DAYS)
    assert run(due - near - datetime.timedelta(minutes=1)).total == 0
    soon = run(due - near)
    assert [(s.kind, s.stage) for s in soon.sent] == [(K.ACKNOWLEDGEMENT, reminders.NEAR)]
    assert run(due - datetime.timedelta(minutes=1)).total == 0
    overdue = run(due)
    assert [(s.kind, s.stage) for s in overdue.sent] == [(K.ACKNOWLEDGEMENT, reminders.OVERDUE)]
    assert run(due + 3 * DAY).total == 0


def test_a_late_first_run_sends_only_overdue(people, make_report, run):
    report = new_report(make_report, people)
    late = run(acknowledgement_due(report) + DAY)
    assert [(s.kind, s.stage) for s in late.sent] == [(K.ACKNOWLEDGEMENT, reminders.OVERDUE)]


def test_staff_mail_has_no_contents_or_names(people, make_report, run):
    report = new_report(make_report, people)
    guide = people["guide"]
    CaseAssignment.objects.create(report=report, user=guide, role=CaseRole.PROCESS_GUIDE)
    run(acknowledgement_due(report) + DAY)
    recipients = {address for message in mail.outbox for address in message.to}
    assert people["coordinator"].email in recipients
    assert guide.email in recipients
    # The person named in the report is excluded from it and never reminded.
    assert people["employee"].email not in recipients
    assert all(len(message.to) == 1 for message in mail.outbox)
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert report.reference in text
        assert f"/behandeling/{report.pk}/" in message.body
        for secret in ("Jan", "bonnen", "Karin", REPORTER_NAME, "Esra", "Medewerker"):
            assert secret not in text
        for person in people.values():
            assert person.get_full_name() not in text


MINUTE = datetime.timedelta(minutes=1)


def _reminder_edges() -> set[datetime.datetime]:
    """Every moment at which a reminder can come due, from what the cases hold now: each
    deadline, a minute either side of it, and where a "due soon" window would open."""
    deadlines: list[datetime.datetime] = []
    for report in Report.objects.select_related("organisation"):
        deadlines += filter(None, (report.acknowledgement_due, report.feedback_due))
        interim_from = report.last_feedback_at or report.acknowledged_at
        if interim_from is not None:
            weeks = report.organisation.interim_feedback_weeks
            deadlines.append(interim_from + datetime.timedelta(weeks=weeks))
    for due_on in AftercareAction.objects.values_list("due_on", flat=True):
        deadlines.append(timezone.make_aware(datetime.datetime.combine(due_on, datetime.time.min)))
    wait = datetime.timedelta(weeks=reminders.EVALUATION_REMINDER_WEEKS)
    deadlines += [
        invited + wait for invited in Evaluation.objects.values_list("invited_at", flat=True)
    ]
    windows = {datetime.timedelta(days=days) for days in (django_settings.DUE_SOON_DAYS,)}
    return {
        deadline + offset for deadline in deadlines for offset in (-MINUTE, 0 * MINUTE, MINUTE)
    } | {deadline - window for deadline in deadlines for window in windows}


def test_clock_moved_forward_sends_each_reminder_exactly_once(
    people, make_report, run, monkeypatch
):
    """Four months, each moment run twice, with feedback given on the way. The clock stops at
    every edge where a reminder can come due (each deadline the cases hold, a minute before and
    after it, and the start of each "due soon" window), read again after every step because
    feedback moves them: the same reminders as stepping every six hours, in a fraction of the
    runs."""
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])

    never_acknowledged = new_report(make_report, people)
    with_interim = acknowledged(make_report, people)
    aftercare = acknowledged(make_report, people)
    AftercareAction.objects.create(
        report=aftercare,
        audience=AftercareAudience.REPORTER,
        sealed_description=b"",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    closed_with_evaluation = new_report(make_report, people)
    Evaluation.objects.create(report=closed_with_evaluation, invited_at=start)
    Report.objects.filter(pk=closed_with_evaluation.pk).update(
        phase=Phase.CLOSED, closed_at=start, acknowledged_at=start, feedback_given_at=start
    )

    sent: Counter = Counter()
    end = start + datetime.timedelta(days=125)
    interim_at = start + datetime.timedelta(days=30)
    pending = {start, interim_at}
    interim_given = False
    steps = 0
    while pending:
        moment = min(pending)
        pending.discard(moment)
        clock["now"] = moment
        if not interim_given and moment >= interim_at:
            # Interim feedback given: the next one is due four weeks later.
            services.give_interim_feedback(
                verified(people["coordinator"]), fresh(with_interim), "Stand van zaken."
            )
            interim_given = True
        for _twice in range(2):
            for item in run(moment).sent:
                sent[(item.reference, item.kind, item.stage, item.deadline)] += 1
        steps += 1
        pending |= {edge for edge in _reminder_edges() if moment < edge < end}
    assert steps < 60, f"{steps} moments: the clock should stop at the edges only"

    assert all(count == 1 for count in sent.values()), sent
    kinds = Counter((reference, kind) for reference, kind, _stage, _deadline in sent)
    # Never acknowledged: acknowledgement soon + overdue; final feedback soon + overdue.
    assert kinds[(never_acknowledged.reference, K.ACKNOWLEDGEMENT)] == 2
    assert kinds[(never_acknowledged.reference, K.FINAL_FEEDBACK)] == 2
    assert kinds[(never_acknowledged.reference, K.INTERIM_FEEDBACK)] == 0
    # Interim feedback due on day 28; given on day 30, so due again on day 58; then never given
    # again, so no new due date: two reminders.
    assert kinds[(with_interim.reference, K.INTERIM_FEEDBACK)] == 2
    assert kinds[(with_interim.reference, K.FINAL_FEEDBACK)] == 2
    assert kinds[(with_interim.reference, K.ACKNOWLEDGEMENT)] == 0
    assert kinds[(aftercare.reference, K.AFTERCARE)] == 1
    assert kinds[(aftercare.reference, K.INTERIM_FEEDBACK)] == 1
    # The closed case gets only the evaluation reminder, once.
    assert kinds[(closed_with_evaluation.reference, K.EVALUATION)] == 1
    assert {k for r, k in kinds if r == closed_with_evaluation.reference} == {K.EVALUATION}


def test_interim_feedback_follows_the_last_feedback(people, make_report, run, monkeypatch):
    report = acknowledged(make_report, people)
    weeks = datetime.timedelta(weeks=report.organisation.interim_feedback_weeks)
    assert report.last_feedback_at is not None
    first_due = report.last_feedback_at + weeks
    assert run(first_due - datetime.timedelta(minutes=1)).counts[K.INTERIM_FEEDBACK] == 0
    assert run(first_due).counts[K.INTERIM_FEEDBACK] == 1
    assert run(first_due + DAY).counts[K.INTERIM_FEEDBACK] == 0
    given = first_due + 2 * DAY
    monkeypatch.setattr(timezone, "now", lambda: given)
    services.give_interim_feedback(verified(people["coordinator"]), fresh(report), "Stand.")
    assert run(given + weeks - DAY).counts[K.INTERIM_FEEDBACK] == 0
    assert run(given + weeks).counts[K.INTERIM_FEEDBACK] == 1
    assert run(given + weeks + DAY).counts[K.INTERIM_FEEDBACK] == 0


def test_every_minute_never_sends_twice(people, make_report, run):
    report = new_report(make_report, people)
    due = acknowledgement_due(report)
    total: Counter[tuple[str, str]] = Counter()
    for minute in range(-30, 30):
        for item in run(due + datetime.timedelta(minutes=minute)).sent:
            total[(item.kind, item.stage)] += 1
    # The first run is within the "due soon" window: that one, then "overdue" at the deadline.
    assert total == Counter(
        {(K.ACKNOWLEDGEMENT, reminders.NEAR): 1, (K.ACKNOWLEDGEMENT, reminders.OVERDUE): 1}
    )


def test_a_reminder_claimed_by_another_run_is_not_sent_again(people, make_report, run):
    report = new_report(make_report, people)
    moment = acknowledgement_due(report) + DAY
    [item] = [i for i in reminders.due_reminders(moment) if i.report.pk == report.pk]
    # Another run recorded it between our look-up and our send.
    ReminderLog.objects.create(report=report, kind=item.kind, due_at=item.due_at)
    assert reminders._send(item) is None
    assert mail.outbox == []


def test_evaluation_reminder_goes_to_the_reporter_once(people, make_report, run):
    report = new_report(make_report, people)
    invited = timezone.now()
    Evaluation.objects.create(report=report, invited_at=invited)
    Report.objects.filter(pk=report.pk).update(
        phase=Phase.CLOSED, closed_at=invited, acknowledged_at=invited, feedback_given_at=invited
    )
    assert run(invited + datetime.timedelta(weeks=4) - DAY).counts[K.EVALUATION] == 0
    result = run(invited + datetime.timedelta(weeks=4))
    assert result.counts[K.EVALUATION] == 1 and result.total == 1
    message = fresh(report).messages.get(kind=MessageKind.EVALUATION_INVITATION)
    body = open_message_body(message, sealer_for(report))
    assert "still like to hear" in body or "graag" in body
    assert [m.to for m in mail.outbox] == [["karin@example.org"]]
    assert DESCRIPTION not in mail.outbox[0].body
    assert run(invited + datetime.timedelta(weeks=20)).total == 0


def test_answered_evaluation_gets_no_reminder(people, make_report, run):
    report = new_report(make_report, people)
    invited = timezone.now()
    Evaluation.objects.create(report=report, invited_at=invited, answered_at=invited)
    Report.objects.filter(pk=report.pk).update(
        phase=Phase.CLOSED, closed_at=invited, acknowledged_at=invited, feedback_given_at=invited
    )
    assert run(invited + datetime.timedelta(weeks=5)).total == 0


def test_skips_drafts_closed_and_removed_cases(people, make_report, run):
    closed = new_report(make_report, people)
    removed = new_report(make_report, people)
    later = timezone.now() + datetime.timedelta(days=200)
    Report.objects.filter(pk=closed.pk).update(phase=Phase.CLOSED, closed_at=timezone.now())
    Report.objects.filter(pk=removed.pk).update(personal_data_removed_at=timezone.now())
    draft = new_report(make_report, people)
    Report.objects.filter(pk=draft.pk).update(submitted_at=None)
    assert run(later).total == 0


def test_finished_aftercare_gets_no_reminder(people, make_report, run):
    report = acknowledged(make_report, people)
    today = timezone.localdate()
    AftercareAction.objects.create(
        report=report,
        audience=AftercareAudience.TEAM,
        sealed_description=b"",
        due_on=today,
        done_at=timezone.now(),
    )
    assert run(timezone.now() + DAY).counts[K.AFTERCARE] == 0


def test_queries_do_not_grow_with_cases_when_nothing_is_new(people, make_report, run):
    def queries_of_a_quiet_run(moment) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert run(moment).total == 0
        return len(queries)

    first = [new_report(make_report, people) for _ in range(2)]
    moment = acknowledgement_due(first[0]) + DAY
    run(moment)
    few = queries_of_a_quiet_run(moment)
    [new_report(make_report, people) for _ in range(6)]
    run(moment)
    assert queries_of_a_quiet_run(moment) == few


def test_command_prints_what_it_sent_and_dry_run_sends_nothing(people, make_report):
    report = new_report(make_report, people)
    moment = (acknowledgement_due(report) + DAY).isoformat()
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--now", moment, stdout=out)
    assert f"Would send acknowledgement (overdue) for {report.reference}" in out.getvalue()
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    out = io.StringIO()
    call_command("send_reminders", "--now", moment, stdout=out)
    assert f"Sent acknowledgement (overdue) for {report.reference}" in out.getvalue()
    assert "Sent 1 reminder(s)" in out.getvalue()
    assert "Jan" not in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", "--now", moment, stdout=out)
    assert "Sent 0 reminder(s)" in out.getvalue()
