"""A case's mail is queued in the transaction that records what it is about (ADR 0017): the
outbox row commits or rolls back with the data, so a crash right after the commit cannot lose
it. Before, the services sent it from `transaction.on_commit`, after the data was committed."""

import pytest
from django.db import transaction

from integriteit.cases import services
from integriteit.outbox.models import OutboxMessage
from integriteit.outbox.tests.backends import LOCMEM, OUTBOX
from integriteit.reports.constants import Phase

from .flow import Flow

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_notifications")]


class Crash(Exception):
    """Something that fails after the service returned, inside the same transaction."""


@pytest.fixture
def through_the_outbox(settings):
    settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND = OUTBOX, LOCMEM


def test_the_reporters_notification_is_queued_inside_the_transaction(people, through_the_outbox):
    flow = Flow(people, email="melder@example.org")
    with transaction.atomic():
        flow.acknowledge()
        assert OutboxMessage.objects.count() == 1  # before any commit hook has run


def test_the_queued_mail_rolls_back_with_the_data(people, through_the_outbox):
    flow = Flow(people).to(Phase.AFTERCARE)
    flow.assign_guide()
    waiting = OutboxMessage.objects.count()
    with pytest.raises(Crash), transaction.atomic():
        services.record_disadvantage(flow.guide, flow.report, "Overgeplaatst na melding.")
        assert OutboxMessage.objects.count() == waiting + 1
        raise Crash
    assert OutboxMessage.objects.count() == waiting
    assert not flow.report.disadvantage_signals.exists()
