"""A reminder is not lost when the mail server fails (issue 9 defect 6, ADR 0017): the mail is
queued in the transaction that records the reminder and sent when the server answers again.
Before, the reminder was recorded as sent and the SMTP error came out of the commit hook."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from integriteit.cases.constants import ReminderKind
from integriteit.cases.models import ReminderLog
from integriteit.cases.reminders import send_due_reminders
from integriteit.outbox import services as outbox
from integriteit.outbox.models import OutboxMessage
from integriteit.outbox.tests.backends import LOCMEM, OUTBOX, REFUSING

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_notifications")]


def test_a_staff_reminder_survives_a_mail_failure(
    people, make_report, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND = OUTBOX, REFUSING
    report, _code = make_report(description="Jan Jansen vervalst bonnen.")
    overdue = report.acknowledgement_due + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = send_due_reminders(overdue)
    assert run.counts[ReminderKind.ACKNOWLEDGEMENT] == 1
    assert ReminderLog.objects.filter(report=report, kind=ReminderKind.ACKNOWLEDGEMENT).exists()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    assert waiting >= 1 and not mail.outbox

    # The next run of the reminders sends nothing new; the outbox sends what waited.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(overdue).total == 0
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    assert outbox.deliver(now=timezone.now() + outbox.LONGEST_PAUSE) == (waiting, 0)
    assert len(mail.outbox) == waiting
    assert all(report.reference in message.subject for message in mail.outbox)
