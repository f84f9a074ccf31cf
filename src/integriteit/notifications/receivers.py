"""What notifications listens to (connected from apps.py). The earlier modules do not know this
module (tests/test_imports.py): they send signals, or save the rows that are the event.

- a new report (reports.signals.report_received): the coordinators who may handle it, and the
  handlers the routing assigned (cases.services.case_coordinators);
- a reporter's message in the mailbox (a reports.Message saved with sender "reporter"): the
  case's handlers and process guides, or its coordinators while it has no handler;
- an assignment (a cases.CaseAssignment saved): the assignee, unless they assigned themselves
  or the routing did (the new-report notification told them);
- a case waiting for someone (cases.signals.waiting_for: a decision for the competent
  authority, a deviation to approve, an interview record to approve, a draft investigation
  report offered to the subject: those people);
- the advisers' annual report sent to the competent authority
  (advisers.signals.annual_report_waiting): those who must respond.

Every receiver runs inside the sender's transaction, so the notification and its e-mail exist
exactly when the event does.
"""

from django.db.models.signals import post_save
from django.urls import reverse

from integriteit.accounts.models import User
from integriteit.advisers.signals import annual_report_waiting
from integriteit.cases import services as case_services
from integriteit.cases.constants import CaseRole
from integriteit.cases.signals import case_viewed, waiting_for
from integriteit.reports.constants import Phase, Sender
from integriteit.reports.models import Report
from integriteit.reports.signals import report_received

from . import services
from .constants import NotificationKind

WAITING_KINDS = {
    Phase.FOLLOW_UP_DECISION: NotificationKind.DECISION_WAITING,
    Phase.DECISION: NotificationKind.DECISION_WAITING,
    "deviation_approval": NotificationKind.DEVIATION_WAITING,
    "record_approval": NotificationKind.RECORD_WAITING,
    "draft_response": NotificationKind.DRAFT_RESPONSE_WAITING,
}


def on_report_received(sender, report: Report, **kwargs) -> None:
    services.notify(
        case_services.case_coordinators(report),
        NotificationKind.NEW_REPORT,
        report,
        services.case_link(report),
    )


def _active_on_case(report: Report, roles) -> list[User]:
    return list(
        User.objects.filter(
            case_assignments__report=report,
            case_assignments__role__in=roles,
            case_assignments__ended_at__isnull=True,
        ).distinct()
    )


def on_message_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created or instance.sender != Sender.REPORTER or kwargs.get("raw"):
        return
    report = Report.objects.get(pk=instance.report_id)
    if not report.is_submitted:
        return
    people = _active_on_case(report, [CaseRole.HANDLER])
    if not people:
        people = case_services.case_coordinators(report)
    people += _active_on_case(report, [CaseRole.PROCESS_GUIDE])
    services.notify(people, NotificationKind.REPORTER_MESSAGE, report, services.case_link(report))


def on_assignment_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw") or instance.ended_at is not None:
        return
    if instance.assigned_by_id is None or instance.assigned_by_id == instance.user_id:
        return
    report = Report.objects.get(pk=instance.report_id)
    services.notify(
        [instance.user],
        NotificationKind.ASSIGNED,
        report,
        services.case_link(report),
        actor=instance.assigned_by,
    )


def on_waiting_for(sender, report: Report, people, what: str, **kwargs) -> None:
    kind = WAITING_KINDS.get(what)
    if kind is None:
        return
    link = (
        reverse("investigations:portal")
        if kind == NotificationKind.RECORD_WAITING
        else services.case_link(report)
    )
    services.notify(people, kind, report, link)


def on_annual_report_waiting(sender, annual_report, people, link: str, **kwargs) -> None:
    """No case: the notification names no report and leads to the annual reports."""
    services.notify(people, NotificationKind.ANNUAL_REPORT_WAITING, None, link)


def on_case_viewed(sender, report: Report, user, **kwargs) -> None:
    services.mark_case_read(user, report)


def connect() -> None:
    report_received.connect(on_report_received, dispatch_uid="notifications-new-report")
    post_save.connect(
        on_message_saved, sender="reports.Message", dispatch_uid="notifications-reporter-message"
    )
    post_save.connect(
        on_assignment_saved, sender="cases.CaseAssignment", dispatch_uid="notifications-assigned"
    )
    waiting_for.connect(on_waiting_for, dispatch_uid="notifications-waiting-for")
    case_viewed.connect(on_case_viewed, dispatch_uid="notifications-case-viewed")
    annual_report_waiting.connect(
        on_annual_report_waiting, dispatch_uid="notifications-annual-report-waiting"
    )


def disconnect() -> None:
    """For tests of other modules that count their own mail (conftest `without_notifications`)."""
    report_received.disconnect(dispatch_uid="notifications-new-report")
    post_save.disconnect(sender="reports.Message", dispatch_uid="notifications-reporter-message")
    post_save.disconnect(sender="cases.CaseAssignment", dispatch_uid="notifications-assigned")
    waiting_for.disconnect(dispatch_uid="notifications-waiting-for")
    case_viewed.disconnect(dispatch_uid="notifications-case-viewed")
    annual_report_waiting.disconnect(dispatch_uid="notifications-annual-report-waiting")
