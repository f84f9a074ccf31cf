"""Reads of notifications, access applied: a notification about a case the user is now excluded
from is not shown or counted (it was not sent either, services.recipients), and a link to a case
page is offered only while the user may open it."""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from integriteit.access.rules import organisations_with_role, reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation
from integriteit.reports.models import ReportExclusion

from .constants import NotificationKind
from .models import EscalationSettings, Notification

# Who may be an organisation's escalation contact: the people who handle or decide on cases.
CONTACT_ROLES = (Role.COORDINATOR, Role.COMPETENT_AUTHORITY)


def notifications_of(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first, minus those about excluded cases."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    excluded = ReportExclusion.objects.filter(person_tag=person_tag(user.pk)).values("report_id")
    return (
        Notification.objects.filter(user=user)
        .exclude(report_id__in=excluded)
        .select_related("report", "report__organisation")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def unread_report_ids(user) -> set[uuid.UUID]:
    """The cases with an unread notification for `user` (the work queue marks them)."""
    return set(
        notifications_of(user)
        .filter(read_at__isnull=True, report__isnull=False)
        .values_list("report_id", flat=True)
    )


@dataclass(frozen=True)
class Shown:
    notification: Notification
    link: str  # empty: nothing the user may open


def shown(user, notifications: list[Notification]) -> list[Shown]:
    """Each notification with where it leads: the case page while the user may open it, the
    "my investigations" page for an interview record, the annual reports for an annual report
    waiting for a response, else nowhere."""
    report_ids = {n.report_id for n in notifications if n.report_id}
    visible = (
        set(reports_visible_to(user).filter(pk__in=report_ids).values_list("pk", flat=True))
        if report_ids
        else set()
    )
    result = []
    for notification in notifications:
        if notification.kind == NotificationKind.RECORD_WAITING:
            link = reverse("investigations:portal")
        elif notification.kind == NotificationKind.ANNUAL_REPORT_WAITING:
            link = reverse("advisers:annual_list")
        elif notification.report_id in visible:
            link = reverse("cases:detail", kwargs={"report_id": notification.report_id})
        else:
            link = ""
        result.append(Shown(notification, link))
    return result


def administered_organisations(user) -> QuerySet[Organisation]:
    return organisations_with_role(user, [Role.ADMINISTRATOR])


def contact_candidates(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(
            roles__organisation=organisation, roles__role__in=CONTACT_ROLES, is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def escalation_settings_of(organisation: Organisation) -> EscalationSettings:
    """The stored settings, or the defaults (unsaved) when the administrator set none."""
    found = EscalationSettings.objects.filter(organisation=organisation).first()
    return found or EscalationSettings(organisation=organisation)
