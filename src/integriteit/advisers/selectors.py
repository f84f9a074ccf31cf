"""Reads of the advisers' pages, with access applied (issue 9 restructuring 1).

The annual report, its recommendations, actions and interim signals reach only the users of
`access.rules` for the organisation; the conversation log only its author (SECURITY.md); a room
booking shows others only as "booked", never by whom. The services check the same rules again
before every write (`can_edit_report`, `can_respond_to_report`)."""

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from integriteit.organisations.models import Organisation

from . import access
from .models import (
    AnnualReport,
    ConfidentialAdviser,
    ConversationLogEntry,
    FollowUpAction,
    InterimSignal,
    Recommendation,
    RoomBooking,
)
from .rooms import bookings_in_week

# --- The annual report and interim signals --------------------------------------------------


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(
        organisation__in=access.annual_report_organisations_visible_to(user)
    ).select_related("organisation")


def report_list(user) -> QuerySet[AnnualReport]:
    return reports_visible_to(user).order_by("organisation__name", "-year")


def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(annual_report__in=reports_visible_to(user)).select_related(
        "annual_report"
    )


def actions_visible_to(user) -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.filter(
        recommendation__in=recommendations_visible_to(user)
    ).select_related("recommendation__annual_report")


def signals_visible_to(user) -> QuerySet[InterimSignal]:
    return (
        InterimSignal.objects.filter(
            organisation__in=access.annual_report_organisations_visible_to(user)
        )
        .select_related("organisation")
        .order_by("-raised_at")
    )


def can_edit_report(user, organisation_id: int) -> bool:
    """The organisation's advisers create its report, recommend and send it."""
    return access.annual_report_organisations_to_edit(user).filter(pk=organisation_id).exists()


def can_respond_to_report(user, report: AnnualReport) -> bool:
    """The competent authority responds and tracks actions, once the report was sent to it."""
    return report.sent_to_authority_at is not None and can_answer_for(user, report.organisation_id)


def can_answer_for(user, organisation_id: int) -> bool:
    return access.annual_report_organisations_to_respond(user).filter(pk=organisation_id).exists()


def can_answer_signal(user, signal: InterimSignal) -> bool:
    """A signal is answered once, by the organisation's competent authority."""
    return signal.responded_at is None and can_answer_for(user, signal.organisation_id)


def signals_to_answer(user) -> set[int]:
    """The ids of the signals the user may answer now (one query for the whole list)."""
    return set(
        InterimSignal.objects.filter(
            organisation__in=access.annual_report_organisations_to_respond(user),
            responded_at__isnull=True,
        ).values_list("pk", flat=True)
    )


# --- The conversation log -------------------------------------------------------------------


def log_years(user) -> list[int]:
    """The years of the user's own entries, newest first, for the filter."""
    return list(
        access.log_entries_of(user)
        .annotate(year=ExtractYear("held_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def log_of(user, *, year: int | None = None, theme: str = "") -> QuerySet[ConversationLogEntry]:
    """The user's own entries (nobody else reads one), optionally of one year and theme."""
    entries = access.log_entries_of(user).select_related("organisation", "unit")
    if year:
        entries = entries.filter(held_on__year=year)
    if theme:
        entries = entries.filter(theme=theme)
    return entries


def log_organisations(adviser: ConfidentialAdviser) -> QuerySet[Organisation]:
    """The organisations an entry may be about: those the adviser serves or is at home in, or
    every organisation when the register names none."""
    served = Organisation.objects.filter(
        Q(pk__in=adviser.organisations_served.values("pk")) | Q(pk=adviser.home_organisation_id)
    )
    if not served.exists():
        served = Organisation.objects.all()
    return served.filter(is_active=True).order_by("name")


# --- Conversation rooms ---------------------------------------------------------------------


def own_bookings(adviser: ConfidentialAdviser) -> QuerySet[RoomBooking]:
    """Only the adviser who booked a slot reaches it (to cancel it)."""
    return RoomBooking.objects.filter(adviser=adviser).select_related("room")


def own_upcoming_bookings(adviser: ConfidentialAdviser) -> QuerySet[RoomBooking]:
    return own_bookings(adviser).filter(ends_at__gte=timezone.now()).order_by("starts_at")


def week_slots_by_room(
    adviser: ConfidentialAdviser, rooms, monday: datetime.date
) -> dict[int, list[dict]]:
    """Per room the week's booked slots, each only with its time and whether it is the
    adviser's own: never who booked it."""
    by_room: dict[int, list[dict]] = {}
    bookings = (
        bookings_in_week(rooms, monday)
        .order_by("starts_at")
        .only("room_id", "adviser_id", "starts_at", "ends_at")
    )
    for booking in bookings:
        by_room.setdefault(booking.room_id, []).append(
            {
                "starts_at": booking.starts_at,
                "ends_at": booking.ends_at,
                "own": booking.adviser_id == adviser.pk,
            }
        )
    return by_room


# --- The public finder ----------------------------------------------------------------------


def open_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True)


def open_advisers(organisation: Organisation | None) -> QuerySet[ConfidentialAdviser]:
    """The active advisers an employee may choose from: of the organisation when given."""
    advisers = ConfidentialAdviser.objects.filter(is_active=True, user__is_active=True)
    if organisation is not None:
        advisers = advisers.filter(
            Q(organisations_served=organisation) | Q(home_organisation=organisation)
        ).distinct()
    return advisers.select_related("user", "home_organisation").prefetch_related(
        "organisations_served"
    )
