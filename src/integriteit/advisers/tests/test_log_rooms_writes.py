"""The conversation log's and the rooms' writes are one transaction with their audit entry
(issue 9 defect 8, checked for every write of the advisers): when the entry cannot be
written, nothing of the change is stored."""

import datetime

import pytest
from django.utils import timezone

from integriteit.advisers import log, rooms
from integriteit.advisers.models import ConversationLogEntry, ConversationRoom, RoomBooking
from integriteit.organisations.models import Organisation

from .test_log import adviser_record, as_verified, log_input


class AuditDown(Exception):
    pass


def refuse(*args, **kwargs):
    raise AuditDown


@pytest.fixture
def adviser(people):
    user = as_verified(people["adviser"])
    adviser_record(user)
    return user


@pytest.fixture
def entry(adviser):
    return log.record_conversation(adviser, log_input(conversations=2))


def test_a_log_entry_is_not_stored_without_its_audit_entry(adviser, monkeypatch):
    monkeypatch.setattr(log, "record", refuse)
    with pytest.raises(AuditDown):
        log.record_conversation(adviser, log_input())
    assert not ConversationLogEntry.objects.exists()


def test_a_log_entry_is_not_changed_without_its_audit_entry(adviser, entry, monkeypatch):
    monkeypatch.setattr(log, "record", refuse)
    with pytest.raises(AuditDown):
        log.update_conversation(adviser, entry, log_input(conversations=5))
    with pytest.raises(AuditDown):
        log.mark_report_followed(adviser, entry.pk)
    stored = ConversationLogEntry.objects.get(pk=entry.pk)
    assert (stored.conversations, stored.report_followed) == (2, False)


def test_a_log_entry_is_not_deleted_without_its_audit_entry(adviser, entry, monkeypatch):
    pk = entry.pk  # delete() forgets it on the object
    monkeypatch.setattr(log, "record", refuse)
    with pytest.raises(AuditDown):
        log.delete_conversation(adviser, entry)
    assert ConversationLogEntry.objects.filter(pk=pk).exists()


@pytest.fixture
def room():
    return ConversationRoom.objects.create(
        organisation=Organisation.objects.get(slug="bzk"), location="Den Haag", name="4.12"
    )


def _tomorrow_at_ten() -> tuple[datetime.datetime, datetime.datetime]:
    # Booking refuses the past: the slot is relative to the real clock, never a fixed date.
    day = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return start, start + datetime.timedelta(hours=1)


def test_a_booking_is_not_stored_without_its_audit_entry(adviser, room, monkeypatch):
    monkeypatch.setattr(rooms, "record", refuse)
    with pytest.raises(AuditDown):
        rooms.book(adviser, room, *_tomorrow_at_ten())
    assert not RoomBooking.objects.exists()


def test_a_booking_is_not_cancelled_without_its_audit_entry(adviser, room, monkeypatch):
    booking = rooms.book(adviser, room, *_tomorrow_at_ten())
    pk = booking.pk  # delete() forgets it on the object
    monkeypatch.setattr(rooms, "record", refuse)
    with pytest.raises(AuditDown):
        rooms.cancel(adviser, booking)
    assert RoomBooking.objects.filter(pk=pk).exists()
