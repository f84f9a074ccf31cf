"""Reminders of investigation time limits (issue 4 §6), sent with the case reminders: each
step's and the overall deadline once when near and once when passed, idempotent, to the members
and the competent authority, without contents."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from integriteit.cases.reminders import send_due_reminders
from integriteit.deadlines.services import Urgency, due_soon_window, end_of_day, urgency
from integriteit.investigations import reminders
from integriteit.investigations.models import InvestigationReminder
from integriteit.ui import dates

from .helpers import Investigating, fake_render  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_render")]

DAY = datetime.timedelta(days=1)
STEP, DEADLINE = reminders.STEP, reminders.DEADLINE


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def at(day: datetime.date | datetime.datetime):
        moment = day
        if not isinstance(moment, datetime.datetime):  # a day: at 09:00 that day
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        outbox = len(mail.outbox)
        # The mails are checked for their English message ids.
        with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
            result = send_due_reminders(moment)
        mails = [m for m in mail.outbox[outbox:] if "investigation" in m.subject]
        return result, mails

    return at


@pytest.fixture
def case(people):
    return Investigating(
        people, description="Jan Jansen vervalst bonnen bij inkoop.", name="Karin Melder"
    )


def test_a_step_is_reminded_once_near_and_once_overdue(case, run):
    due = case.rec("preliminary_inquiry").due_on
    assert due == timezone.localdate() + 14 * DAY
    result, mails = run(timezone.localdate())
    assert result.counts.get(STEP, 0) == 0 and not mails
    near = end_of_day(due) - due_soon_window()  # the first moment it is due soon
    result, mails = run(near - datetime.timedelta(microseconds=1))
    assert result.counts.get(STEP, 0) == 0
    result, mails = run(near)
    assert result.counts[STEP] == 1
    assert sorted(m.to[0] for m in mails) == sorted(
        [case.flow.investigator.email, case.flow.authority.email]
    )
    with translation.override("en"):
        written = dates.day(due)  # as every date for people (integriteit.ui.dates)
    assert all(written in m.body for m in mails)
    # Twice: nothing the second time, the same day or on the due day itself.
    for day in (near, due):
        result, mails = run(day)
        assert result.counts.get(STEP, 0) == 0 and not mails
    result, mails = run(due + DAY)
    assert result.counts[STEP] == 1 and len(mails) == 2
    assert "overdue" in mails[0].body
    for day in (due + DAY, due + 10 * DAY):
        result, mails = run(day)
        assert result.counts.get(STEP, 0) == 0 and not mails
    assert InvestigationReminder.objects.filter(key="step:preliminary_inquiry").count() == 2


def test_due_soon_is_the_window_of_every_case_deadline(case, run, settings):
    """Issue 9 defect 4: one setting and one decision say "due soon" for cases and
    investigations; before, investigations had their own INVESTIGATION_NEAR_DAYS (3)."""
    settings.DUE_SOON_DAYS = 9
    due = case.rec("preliminary_inquiry").due_on
    near = end_of_day(due) - datetime.timedelta(days=9)
    assert urgency(due, None, near) is Urgency.NEAR  # what a case deadline on that day shows
    assert run(near - datetime.timedelta(microseconds=1))[0].counts.get(STEP, 0) == 0
    result, _mails = run(near)
    assert result.counts[STEP] == 1 and result.sent[0].stage == "near"


def test_the_clock_forward_reminds_each_step_once(case, run):
    case.complete("preliminary_inquiry")
    assignment = case.rec("assignment")
    result, _mails = run(assignment.due_on + DAY)  # straight to overdue: one reminder only
    assert result.counts[STEP] == 1
    assert result.sent[0].stage == "overdue"
    assert run(assignment.due_on + 2 * DAY)[0].counts.get(STEP, 0) == 0
    # A completed step is no longer reminded; the next one has its own date.
    case.complete("assignment")
    plan = case.rec("plan")
    assert run(plan.due_on + DAY)[0].counts[STEP] == 1
    assert set(InvestigationReminder.objects.values_list("key", flat=True)) == {
        "step:assignment",
        "step:plan",
    }


def test_the_overall_deadline(case, run):
    deadline = case.investigation.deadline
    result, mails = run(deadline - DAY)
    assert result.counts[DEADLINE] == 1
    assert any("must be completed by" in m.body for m in mails)
    assert run(deadline - DAY)[0].counts.get(DEADLINE, 0) == 0
    result, mails = run(deadline + DAY)
    assert result.counts[DEADLINE] == 1
    assert any("time limit of the investigation passed" in m.body for m in mails)
    assert run(deadline + 30 * DAY)[0].counts.get(DEADLINE, 0) == 0


def test_no_contents_in_the_mail(case, run):
    _result, mails = run(case.rec("preliminary_inquiry").due_on + DAY)
    assert mails
    for message in mails:
        text = message.subject + message.body
        assert case.flow.report.reference in text
        for secret in ("Jan Jansen", "bonnen", "Karin", "Medewerker", "Esra"):
            assert secret not in text


def test_deferred_and_completed_investigations_are_not_reminded(case, run):
    case.advance_to("inform_subject")
    from integriteit.investigations import services

    services.request_deviation(
        case.flow.investigator, case.investigation, "inform_subject", "Bewijs veiligstellen."
    )
    services.approve_deviation(case.flow.authority, case.investigation, "inform_subject")
    interviews = case.rec("interviews")
    result, _mails = run(interviews.due_on + DAY)
    assert [item.kind for item in result.sent if item.kind == STEP] == [STEP]
    assert InvestigationReminder.objects.filter(key="step:inform_subject").count() == 0


def test_a_dry_run_sends_and_records_nothing(case, django_capture_on_commit_callbacks):
    day = case.rec("preliminary_inquiry").due_on + DAY
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders(moment, dry_run=True)
    assert result.counts[STEP] == 1
    assert not InvestigationReminder.objects.exists()
    assert not [m for m in mail.outbox if "investigation" in m.subject]
