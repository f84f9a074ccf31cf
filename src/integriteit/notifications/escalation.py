"""Escalation of the legal deadlines (RULES R3 acknowledgement, R4 feedback; SYSTEM.md
"Deadlines ... are computed, shown and escalated"), run with the reminders: cases.reminders
calls `send_due_escalations` through its registry (registered in NotificationsConfig.ready), so
`manage.py send_reminders` sends both.

Two levels, per organisation (EscalationSettings, defaults when none is stored):

- CONTACT: the deadline is due soon (`deadlines.services.urgency`, the same DUE_SOON_DAYS as
  every page and reminder): the organisation's escalation contact, or, when none is set, its
  competent authorities;
- GOVERNMENT: the deadline has passed: the government-wide coordinators (BZK). Not for an
  organisation outside BZK's coordination (Defensie, seed 001 note 1), as in cases.routing.

A run after the deadline sends only GOVERNMENT, as the reminders send only "overdue". Nobody
excluded from the case is told. Each escalation's key (case, deadline, due moment, level) is
recorded in EscalationLog in the transaction that notifies and queues the e-mail (outbox, ADR
0017): the unique key makes every run idempotent, also when two overlap, and a deadline that
moves (a reopened case) gives a new key.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.audit.services import SYSTEM, record
from integriteit.cases.reminders import NEAR, OVERDUE, SentReminder
from integriteit.deadlines.services import Urgency, due_soon_window, urgency
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from . import services
from .constants import EscalatedDeadline, EscalationLevel, NotificationKind
from .models import EscalationLog, EscalationSettings
from .selectors import escalation_settings_of

KIND = "escalation"
LEVEL_OF: dict[Urgency, EscalationLevel] = {
    Urgency.NEAR: EscalationLevel.CONTACT,
    Urgency.OVERDUE: EscalationLevel.GOVERNMENT,
}
NOTIFICATION_OF: dict[str, NotificationKind] = {
    EscalationLevel.CONTACT: NotificationKind.ESCALATION_NEAR,
    EscalationLevel.GOVERNMENT: NotificationKind.ESCALATION_OVERDUE,
}
# Which report field holds each deadline, and which one records that it was met.
FIELDS = {
    EscalatedDeadline.ACKNOWLEDGEMENT: ("acknowledgement_due", "acknowledged_at"),
    EscalatedDeadline.FEEDBACK: ("feedback_due", "feedback_given_at"),
}


@dataclass(frozen=True)
class DueEscalation:
    report: Report
    deadline: str
    due_at: datetime.datetime
    level: str


def _open_cases() -> QuerySet[Report]:
    return (
        Report.objects.submitted()
        .filter(personal_data_removed_at__isnull=True)
        .exclude(phase=Phase.CLOSED)
        .select_related("organisation")
    )


def due_escalations(now: datetime.datetime) -> list[DueEscalation]:
    """Every escalation due at `now` that was not sent yet, as the settings allow."""
    horizon = now + due_soon_window()
    settings_by_org: dict[int, EscalationSettings] = {}
    candidates = []
    for deadline, (due_field, met_field) in FIELDS.items():
        reports = _open_cases().filter(
            **{f"{met_field}__isnull": True, f"{due_field}__lte": horizon}
        )
        for report in reports:
            due = getattr(report, due_field)
            level = LEVEL_OF.get(urgency(due, None, now))
            if level is None:
                continue
            org = report.organisation
            if org.pk not in settings_by_org:
                settings_by_org[org.pk] = escalation_settings_of(org)
            chosen = settings_by_org[org.pk]
            if level == EscalationLevel.CONTACT and not chosen.escalate_due_soon:
                continue
            if level == EscalationLevel.GOVERNMENT and (
                not chosen.escalate_overdue or org.outside_bzk_coordination
            ):
                continue
            candidates.append(DueEscalation(report, deadline, due, level))
    sent = set(
        EscalationLog.objects.filter(report_id__in={c.report.pk for c in candidates}).values_list(
            "report_id", "deadline", "due_at", "level"
        )
    )
    return [c for c in candidates if (c.report.pk, c.deadline, c.due_at, c.level) not in sent]


def _with_role(role: str, organisation: Organisation | None = None) -> QuerySet[User]:
    people = User.objects.filter(roles__role=role, is_active=True)
    if organisation is not None:
        people = people.filter(roles__organisation=organisation)
    return people.distinct()


def escalation_recipients(item: DueEscalation) -> list[User]:
    """Who hears of it, before the exclusions (services.recipients takes those out)."""
    if item.level == EscalationLevel.GOVERNMENT:
        return list(_with_role(Role.BZK_COORDINATOR))
    contact = escalation_settings_of(item.report.organisation).contact
    if contact is not None and contact.is_active:
        return [contact]
    return list(_with_role(Role.COMPETENT_AUTHORITY, item.report.organisation))


def _stage(item: DueEscalation) -> str:
    return NEAR if item.level == EscalationLevel.CONTACT else OVERDUE


def _send(item: DueEscalation, now: datetime.datetime) -> SentReminder | None:
    """Record, notify and queue the e-mail in one transaction; None when already sent."""
    try:
        with transaction.atomic():
            log = EscalationLog.objects.create(
                report=item.report,
                deadline=item.deadline,
                due_at=item.due_at,
                level=item.level,
                sent_at=now,
            )
            told = services.notify(
                escalation_recipients(item),
                NOTIFICATION_OF[item.level],
                item.report,
                reverse("notifications:list"),
                now=now,
            )
            log.recipients = len(told)
            log.save(update_fields=["recipients"])
            record(
                SYSTEM,
                "case.deadline_escalated",
                "report",
                item.report.pk,
                {"deadline": item.deadline, "level": item.level, "recipients": len(told)},
            )
    except IntegrityError:
        return None  # another run sent it meanwhile
    return SentReminder(item.report.reference, KIND, _stage(item), item.due_at, len(told))


def send_due_escalations(now: datetime.datetime, dry_run: bool = False) -> list[SentReminder]:
    """The reminders' sender (cases.reminders.register): each escalation once."""
    result = []
    for item in due_escalations(now):
        if dry_run:
            people = services.recipients(escalation_recipients(item), item.report)
            result.append(
                SentReminder(item.report.reference, KIND, _stage(item), item.due_at, len(people))
            )
            continue
        if (sent := _send(item, now)) is not None:
            result.append(sent)
    return result
