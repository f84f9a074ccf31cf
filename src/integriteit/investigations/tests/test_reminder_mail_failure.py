"""An investigation reminder is not lost when the mail server fails (issue 9 defect 6): the mail
is queued with the reminder's record and sent when the server answers again."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from integriteit.investigations import reminders
from integriteit.investigations.models import InvestigationReminder
from integriteit.outbox import services as outbox
from integriteit.outbox.models import OutboxMessage
from integriteit.outbox.tests.backends import LOCMEM, OUTBOX, REFUSING

from .helpers import Investigating, fake_render  # noqa: F401

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fake_render", "without_notifications"),
]


def test_a_step_reminder_survives_a_mail_failure(
    people, settings, django_capture_on_commit_callbacks
):
    case = Investigating(people, description="Jan Jansen vervalst bonnen.", name="Karin Melder")
    due = case.rec("preliminary_inquiry").due_on
    assert due is not None  # set when the step opened
    overdue = timezone.make_aware(datetime.datetime.combine(due, datetime.time(9)))
    overdue += datetime.timedelta(days=1)
    settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND = OUTBOX, REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_due_reminders(overdue)
    assert any(item.kind == reminders.STEP for item in sent)
    assert InvestigationReminder.objects.filter(key="step:preliminary_inquiry").exists()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    assert waiting >= 2 and not mail.outbox  # the investigator and the competent authority

    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    assert outbox.deliver(now=timezone.now() + outbox.LONGEST_PAUSE) == (waiting, 0)
    recipients = {message.to[0] for message in mail.outbox}
    assert {case.flow.investigator.email, case.flow.authority.email} <= recipients
