"""Reads of the advisers' pages, with access applied (issue 9 restructuring 1).

The annual report, its recommendations, actions and interim signals reach only the users of
`access.rules` for the organisation; the conversation log only its author (SECURITY.md); a room
booking shows others only as "booked", never by whom. The services check the same rules again
before every write (`can_edit_report`, `can_respond_to_report`)."""

from django.db.models import QuerySet

from integriteit.access import rules

from .models import AnnualReport, FollowUpAction, InterimSignal, Recommendation

# --- The annual report and interim signals --------------------------------------------------


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(
        organisation__in=rules.annual_report_organisations_visible_to(user)
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
            organisation__in=rules.annual_report_organisations_visible_to(user)
        )
        .select_related("organisation")
        .order_by("-raised_at")
    )


def can_edit_report(user, organisation_id: int) -> bool:
    """The organisation's advisers create its report, recommend and send it."""
    return rules.annual_report_organisations_to_edit(user).filter(pk=organisation_id).exists()


def can_respond_to_report(user, report: AnnualReport) -> bool:
    """The competent authority responds and tracks actions, once the report was sent to it."""
    return report.sent_to_authority_at is not None and can_answer_for(user, report.organisation_id)


def can_answer_for(user, organisation_id: int) -> bool:
    return rules.annual_report_organisations_to_respond(user).filter(pk=organisation_id).exists()


def can_answer_signal(user, signal: InterimSignal) -> bool:
    """A signal is answered once, by the organisation's competent authority."""
    return signal.responded_at is None and can_answer_for(user, signal.organisation_id)


def signals_to_answer(user) -> set[int]:
    """The ids of the signals the user may answer now (one query for the whole list)."""
    return set(
        InterimSignal.objects.filter(
            organisation__in=rules.annual_report_organisations_to_respond(user),
            responded_at__isnull=True,
        ).values_list("pk", flat=True)
    )
