"""Escalation of the legal deadlines (issue 10), run by the reminders with the clock moved
(`now` passed, as `manage.py send_reminders --now` does): about to pass goes to the escalation
contact, passed to the government-wide coordinator; each e-mail once per deadline and level."""

import datetime
import io

import pytest
from django.core.management import call_command

from integriteit.accounts.constants import Role
from integriteit.cases.reminders import send_due_reminders
from integriteit.notifications.constants import EscalatedDeadline, EscalationLevel
from integriteit.notifications.constants import NotificationKind as K
from integriteit.notifications.models import EscalationLog, EscalationSettings, Notification
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DESCRIPTION = "Jan Jansen vervalst bonnen bij inkoop op de derde verdieping."


def escalations(user, kind) -> int:
    return Notification.objects.filter(user=user, kind=kind).count()


@pytest.fixture
def report(make_report, outbox):
    found, _code = outbox.run(make_report, description=DESCRIPTION)
    return found


def test_both_levels_each_once(people, report, outbox):
    authority, bzk = people["authority"], people["bzk-coordinator"]
    due = report.acknowledgement_due
    near = due - HOUR  # within DUE_SOON_DAYS

    run = outbox.run(send_due_reminders, near)
    assert [(s.kind, s.stage) for s in run.sent if s.kind == "escalation"] == [
        ("escalation", "near")
    ]
    # No contact set: the organisation's competent authority is the default.
    assert escalations(authority, K.ESCALATION_NEAR) == 1
    assert len(outbox.mails_to(authority)) == 1
    assert escalations(bzk, K.ESCALATION_OVERDUE) == 0

    outbox.run(send_due_reminders, near + HOUR / 2)  # the next minute's run
    assert escalations(authority, K.ESCALATION_NEAR) == 1
    assert len(outbox.mails_to(authority)) == 1

    passed = due + HOUR
    outbox.run(send_due_reminders, passed)
    assert escalations(bzk, K.ESCALATION_OVERDUE) == 1
    mails = outbox.mails_to(bzk)
    assert len(mails) == 1
    assert report.reference not in mails[0].body and DESCRIPTION not in mails[0].body
    outbox.run(send_due_reminders, passed + HOUR)
    assert len(outbox.mails_to(bzk)) == 1 and len(outbox.mails_to(authority)) == 1
    assert set(EscalationLog.objects.filter(report=report).values_list("deadline", "level")) == {
        (EscalatedDeadline.ACKNOWLEDGEMENT, EscalationLevel.CONTACT),
        (EscalatedDeadline.ACKNOWLEDGEMENT, EscalationLevel.GOVERNMENT),
    }


def test_a_run_after_the_deadline_sends_only_the_second_level(people, report, outbox):
    outbox.run(send_due_reminders, report.acknowledgement_due + HOUR)
    assert escalations(people["authority"], K.ESCALATION_NEAR) == 0
    assert escalations(people["bzk-coordinator"], K.ESCALATION_OVERDUE) == 1


def test_the_configured_contact_hears_it(people, report, make_staff, outbox):
    contact = make_staff(Role.COMPETENT_AUTHORITY, "bzk", username="head", email="head@x.example")
    EscalationSettings.objects.create(organisation=report.organisation, contact=contact)
    outbox.run(send_due_reminders, report.acknowledgement_due - HOUR)
    assert escalations(contact, K.ESCALATION_NEAR) == 1
    assert len(outbox.mails_to(contact)) == 1
    assert escalations(people["authority"], K.ESCALATION_NEAR) == 0


def test_an_excluded_contact_is_not_told(people, make_report, make_staff, outbox):
    contact = make_staff(Role.COMPETENT_AUTHORITY, "bzk", username="head", email="head@x.example")
    EscalationSettings.objects.create(
        organisation=Organisation.objects.get(slug="bzk"), contact=contact
    )
    report, _code = outbox.run(make_report, involved=(contact,))
    outbox.run(send_due_reminders, report.acknowledgement_due - HOUR)
    assert escalations(contact, K.ESCALATION_NEAR) == 0
    assert outbox.mails_to(contact) == []
    # Recorded all the same: a later run does not try again.
    assert EscalationLog.objects.filter(report=report, recipients=0).exists()


def test_levels_switched_off(people, report, outbox):
    EscalationSettings.objects.create(
        organisation=report.organisation, escalate_due_soon=False, escalate_overdue=False
    )
    outbox.run(send_due_reminders, report.acknowledgement_due - HOUR)
    outbox.run(send_due_reminders, report.acknowledgement_due + HOUR)
    assert not Notification.objects.filter(kind__in=[K.ESCALATION_NEAR, K.ESCALATION_OVERDUE])


def test_outside_bzk_coordination_no_government_level(people, report, outbox):
    Organisation.objects.filter(pk=report.organisation_id).update(outside_bzk_coordination=True)
    outbox.run(send_due_reminders, report.acknowledgement_due + HOUR)
    assert escalations(people["bzk-coordinator"], K.ESCALATION_OVERDUE) == 0


def test_the_command_with_a_moved_clock_and_a_dry_run(people, report, outbox):
    moment = (report.acknowledgement_due + HOUR).isoformat()
    out = io.StringIO()
    call_command("send_reminders", "--now", moment, "--dry-run", stdout=out)
    assert "escalation (overdue)" in out.getvalue()
    assert not EscalationLog.objects.exists()
    outbox.run(call_command, "send_reminders", "--now", moment, stdout=io.StringIO())
    outbox.run(call_command, "send_reminders", "--now", moment, stdout=io.StringIO())
    assert EscalationLog.objects.filter(level=EscalationLevel.GOVERNMENT).count() == 1
    assert len(outbox.mails_to(people["bzk-coordinator"])) == 1


def test_the_scheduler_runs_the_reminders_and_delivers_the_outbox(people, make_report, settings):
    """`make demo` runs `run_scheduler` in the background: one round sends what is due and
    delivers it from the outbox, even when no commit hook ran (a crash after the commit)."""
    from django.core import mail

    from integriteit.outbox import services as outbox_services

    settings.EMAIL_BACKEND = "integriteit.outbox.backend.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    long_ago = datetime.timedelta(days=30)
    report, _code = make_report()
    type(report).objects.filter(pk=report.pk).update(
        acknowledgement_due=report.acknowledgement_due - long_ago
    )
    call_command("run_scheduler", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    bzk = people["bzk-coordinator"]
    assert escalations(bzk, K.ESCALATION_OVERDUE) == 1
    assert len([m for m in mail.outbox if bzk.email in m.to]) == 1
    assert outbox_services.waiting_count() == 0
    call_command("run_scheduler", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert len([m for m in mail.outbox if bzk.email in m.to]) == 1
