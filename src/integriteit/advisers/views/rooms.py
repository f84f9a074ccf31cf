"""Conversation rooms for confidential advisers: the week's booked slots per room, a booking
form and the adviser's own bookings (issue 5 §6). Others' bookings show only as "booked"."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.accounts.decorators import staff_required

from .. import rooms as services
from .. import selectors
from ..rooms_forms import RoomBookingForm


def _adviser(request):
    adviser = services.adviser_of(request.user)
    if adviser is None:
        raise Http404
    return adviser


# How far from today `?week=` may go: the calendar's previous and next links and the booking
# times of a week in year 1 or 9999 would not fit in a date (a 500).
WEEKS_REACHABLE = datetime.timedelta(days=10 * 366)


def _monday(request) -> datetime.date:
    today = timezone.localdate()
    asked = request.GET.get("week", "")
    try:
        day = datetime.date.fromisoformat(asked) if asked else today
    except ValueError:
        day = None
    if day is None or abs(day - today) > WEEKS_REACHABLE:
        messages.warning(request, _("That week cannot be shown; this week is shown instead."))
        day = today
    return services.week_of(day)[0]


@staff_required
def rooms(request):
    adviser = _adviser(request)
    available = services.rooms_for(adviser)
    form = RoomBookingForm(request.POST or None, rooms=available)
    if request.method == "POST":
        if form.is_valid():
            starts_at, ends_at = form.slot()
            try:
                services.book(request.user, form.cleaned_data["room"], starts_at, ends_at)
            except services.BookingError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The room is booked."))
                return redirect("advisers:rooms")
        messages.error(request, _("Not booked: check the fields marked below."))
    monday = _monday(request)
    days = services.week_of(monday)
    by_room = selectors.week_slots_by_room(adviser, available, monday)
    locations: dict[str, list[dict]] = {}
    for room in available:
        label = f"{room.organisation} – {room.location}"
        locations.setdefault(label, []).append({"room": room, "slots": by_room.get(room.pk, [])})
    return render(
        request,
        "advisers/rooms.html",
        {
            "form": form,
            "locations": locations,
            "own": selectors.own_upcoming_bookings(adviser),
            "days": days,
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
        },
    )


@staff_required
@require_POST
def cancel_booking(request, booking_id):
    adviser = _adviser(request)
    booking = get_object_or_404(selectors.own_bookings(adviser), pk=booking_id)
    services.cancel(request.user, booking)
    messages.success(request, _("The booking is cancelled."))
    return redirect("advisers:rooms")
