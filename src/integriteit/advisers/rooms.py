"""Conversation rooms: booking a slot for a confidential conversation (issue 5 §6).

A booking records the room, the adviser and the time, and nothing else: there is no field for
who the conversation is with, and the audit entries carry only the room and the slot. Other
advisers see a booked slot as "booked", never by whom (see views/rooms.py)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record

from .models import ConfidentialAdviser, ConversationRoom, RoomBooking

MAX_DURATION = datetime.timedelta(hours=4)
# The part of the day shown as free or booked in `availability`.
DAY_STARTS = datetime.time(8, 0)
DAY_ENDS = datetime.time(18, 0)


class BookingError(ValidationError):
    pass


def adviser_of(user) -> ConfidentialAdviser | None:
    """The user's active adviser record, or None."""
    if not user.is_authenticated:
        return None
    return ConfidentialAdviser.objects.filter(user=user, is_active=True).first()


def rooms_for(adviser: ConfidentialAdviser) -> QuerySet[ConversationRoom]:
    """Rooms of the adviser's own organisation and of the organisations they serve."""
    scope = Q(organisation__in=adviser.organisations_served.all())
    if adviser.home_organisation_id:
        scope |= Q(organisation_id=adviser.home_organisation_id)
    return (
        ConversationRoom.objects.filter(scope)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "location", "name")
    )


def _adviser_for(user) -> ConfidentialAdviser:
    adviser = adviser_of(user)
    if adviser is None:
        raise BookingError(_("Only confidential advisers can book conversation rooms."))
    return adviser


def overlapping(room: ConversationRoom, starts_at, ends_at) -> QuerySet[RoomBooking]:
    return RoomBooking.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)


def book(adviser_user, room: ConversationRoom, starts_at, ends_at) -> RoomBooking:
    adviser = _adviser_for(adviser_user)
    if not rooms_for(adviser).filter(pk=room.pk).exists():
        raise BookingError(_("You cannot book this room."))
    if ends_at <= starts_at:
        raise BookingError(_("The end of the slot must be after its start."))
    if starts_at < timezone.now():
        raise BookingError(_("A slot in the past cannot be booked."))
    if ends_at - starts_at > MAX_DURATION:
        raise BookingError(_("A slot can be at most 4 hours long."))
    with transaction.atomic():
        # Serialise bookings of one room (PostgreSQL; SQLite writes one at a time anyway).
        ConversationRoom.objects.select_for_update().filter(pk=room.pk).first()
        if overlapping(room, starts_at, ends_at).exists():
            raise BookingError(
                _("This room is already booked during (part of) this slot. Choose another time.")
            )
        booking = RoomBooking.objects.create(
            room=room, adviser=adviser, starts_at=starts_at, ends_at=ends_at
        )
        record(
            Actor.of(adviser_user),
            "room_booked",
            "RoomBooking",
            booking.pk,
            {"room": room.pk, "starts_at": starts_at, "ends_at": ends_at},
        )
    return booking


def cancel(adviser_user, booking: RoomBooking) -> None:
    adviser = _adviser_for(adviser_user)
    if booking.adviser_id != adviser.pk:
        raise BookingError(_("Only the adviser who booked this slot can cancel it."))
    with transaction.atomic():
        detail = {
            "room": booking.room_id,
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
        }
        pk = booking.pk
        booking.delete()
        record(Actor.of(adviser_user), "room_booking_cancelled", "RoomBooking", pk, detail)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    booking: RoomBooking | None = None

    @property
    def is_free(self) -> bool:
        return self.booking is None


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def availability(room: ConversationRoom, day: datetime.date) -> list[Slot]:
    """The day (08:00–18:00, local time) as consecutive free and booked slots. Bookings outside
    those hours are included as booked slots too."""
    day_start, day_end = _at(day, DAY_STARTS), _at(day, DAY_ENDS)
    bookings = RoomBooking.objects.filter(
        room=room,
        starts_at__lt=_at(day + datetime.timedelta(days=1), datetime.time.min),
        ends_at__gt=_at(day, datetime.time.min),
    ).order_by("starts_at")
    slots: list[Slot] = []
    cursor = day_start
    for booking in bookings:
        starts_at, ends_at = (
            timezone.localtime(booking.starts_at),
            timezone.localtime(booking.ends_at),
        )
        if starts_at > cursor and cursor < day_end:
            slots.append(Slot(cursor, min(starts_at, day_end)))
        slots.append(Slot(starts_at, ends_at, booking))
        cursor = max(cursor, ends_at)
    if cursor < day_end:
        slots.append(Slot(cursor, day_end))
    return slots


def week_of(day: datetime.date) -> list[datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=offset) for offset in range(7)]


def bookings_in_week(rooms, monday: datetime.date) -> QuerySet[RoomBooking]:
    start = _at(monday, datetime.time.min)
    end = _at(monday + datetime.timedelta(days=7), datetime.time.min)
    return RoomBooking.objects.filter(room__in=rooms, starts_at__lt=end, ends_at__gt=start)
