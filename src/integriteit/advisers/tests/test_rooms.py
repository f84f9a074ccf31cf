"""Conversation rooms (issue 5 §6): bookings record only the adviser and the slot; other
advisers see a slot as "booked", never by whom; only advisers reach the page."""

import datetime

import pytest
from django.utils import timezone, translation

from integriteit import testing
from integriteit.advisers import rooms
from integriteit.advisers.constants import AdviserKind, AdviserThemes
from integriteit.advisers.models import ConfidentialAdviser, ConversationRoom, RoomBooking
from integriteit.advisers.rooms_forms import RoomBookingForm
from integriteit.audit.models import AuditEntry
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db

URL = "/en/vertrouwenspersonen/ruimtes/"


@pytest.fixture
def english():
    """The booking errors are compared in English; the default language is Dutch."""
    with translation.override("en"):
        yield


def _make_adviser(user, organisation):
    adviser, _created = ConfidentialAdviser.objects.get_or_create(
        user=user,
        defaults={
            "kind": AdviserKind.INTERNAL,
            "themes": AdviserThemes.BOTH,
            "home_organisation": organisation,
        },
    )
    adviser.organisations_served.add(organisation)
    return adviser


@pytest.fixture
def setting(people):
    bzk = Organisation.objects.get(slug="bzk")
    first = _make_adviser(people["adviser"], bzk)
    second = _make_adviser(people["guide"], bzk)
    room = ConversationRoom.objects.create(
        organisation=bzk, location="Den Haag, Turfmarkt 147", name="Stilteruimte 4.12"
    )
    return {"first": first, "second": second, "room": room}


def _slot(days=1, hour=10, hours=1):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return start, start + datetime.timedelta(hours=hours)


def test_booking_records_only_adviser_and_slot(people, setting):
    start, end = _slot()
    booking = rooms.book(people["adviser"], setting["room"], start, end)
    assert booking.adviser == setting["first"]
    entry = AuditEntry.objects.get(action="room_booked", object_id=str(booking.pk))
    assert set(entry.detail) == {"room", "starts_at", "ends_at"}
    assert {f.name for f in RoomBooking._meta.get_fields()} == {
        "id",
        "room",
        "adviser",
        "starts_at",
        "ends_at",
    }


def test_overlap_is_refused(people, setting, english):
    start, end = _slot(hour=10, hours=2)
    rooms.book(people["adviser"], setting["room"], start, end)
    with pytest.raises(rooms.BookingError, match="already booked"):
        rooms.book(
            people["guide"],
            setting["room"],
            start + datetime.timedelta(hours=1),
            end + datetime.timedelta(hours=1),
        )
    # Back to back is fine.
    rooms.book(people["guide"], setting["room"], end, end + datetime.timedelta(hours=1))
    assert RoomBooking.objects.count() == 2


def test_past_end_before_start_and_long_slots_are_refused(people, setting, english):
    start, end = _slot(days=-1)
    with pytest.raises(rooms.BookingError, match="past"):
        rooms.book(people["adviser"], setting["room"], start, end)
    start, end = _slot()
    with pytest.raises(rooms.BookingError, match="after its start"):
        rooms.book(people["adviser"], setting["room"], end, start)
    start, end = _slot(hour=9, hours=5)
    with pytest.raises(rooms.BookingError, match="4 hours"):
        rooms.book(people["adviser"], setting["room"], start, end)
    assert not RoomBooking.objects.exists()


def test_cancel_only_by_the_adviser_who_booked(people, setting):
    start, end = _slot()
    booking = rooms.book(people["adviser"], setting["room"], start, end)
    with pytest.raises(rooms.BookingError):
        rooms.cancel(people["guide"], booking)
    # Through the page the other adviser finds nothing to cancel.
    other = testing.verified_client(people["guide"])
    assert other.post(f"{URL}{booking.pk}/annuleren/").status_code == 404
    assert RoomBooking.objects.filter(pk=booking.pk).exists()
    rooms.cancel(people["adviser"], booking)
    assert not RoomBooking.objects.exists()
    assert AuditEntry.objects.filter(action="room_booking_cancelled").count() == 1


def test_availability_shows_free_and_booked(people, setting):
    start, end = _slot(hour=10, hours=2)
    rooms.book(people["adviser"], setting["room"], start, end)
    slots = rooms.availability(setting["room"], start.date())
    assert [(s.starts_at.hour, s.ends_at.hour, s.is_free) for s in slots] == [
        (8, 10, True),
        (10, 12, False),
        (12, 18, True),
    ]


def test_page_shows_other_advisers_bookings_only_as_booked(people, setting, staff_client):
    start, end = _slot(days=1)
    rooms.book(people["guide"], setting["room"], start, end)
    page = staff_client(people["adviser"]).get(URL, {"week": start.date().isoformat()})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Stilteruimte 4.12" in body
    assert "booked" in body and "booked by you" not in body
    guide = people["guide"]
    assert guide.get_full_name() not in body and guide.username not in body
    assert guide.last_name not in body


def test_booking_through_the_page(people, setting, staff_client):
    start, _end = _slot(days=2)
    client = staff_client(people["adviser"])
    response = client.post(
        URL,
        {
            "room": setting["room"].pk,
            "day": start.date().isoformat(),
            "starts": "10:00",
            "ends": "11:00",
        },
    )
    assert response.status_code == 302
    assert RoomBooking.objects.get().adviser == setting["first"]
    page = client.get(URL, {"week": start.date().isoformat()}).content.decode()
    assert "booked by you" in page and "Cancel this booking" in page
    # The same slot again: refused with a clear message.
    again = client.post(
        URL,
        {
            "room": setting["room"].pk,
            "day": start.date().isoformat(),
            "starts": "10:30",
            "ends": "11:30",
        },
    )
    assert again.status_code == 200 and "already booked" in again.content.decode()
    assert RoomBooking.objects.count() == 1


def test_no_form_field_for_a_person(setting):
    form = RoomBookingForm(rooms=ConversationRoom.objects.all())
    assert set(form.fields) == {"room", "day", "starts", "ends"}
    assert "<textarea" not in str(form)


@pytest.mark.parametrize("username", ["employee", "coordinator", "admin"])
def test_non_advisers_get_404(people, setting, staff_client, username):
    client = staff_client(people[username])
    assert client.get(URL).status_code == 404
    booking = RoomBooking.objects.create(
        room=setting["room"], adviser=setting["first"], starts_at=_slot()[0], ends_at=_slot()[1]
    )
    assert client.post(f"{URL}{booking.pk}/annuleren/").status_code == 404
