"""Reminders of the integrity risk analysis (issue 12 §1), sent with the case reminders:
`manage.py send_reminders` (and `run_scheduler`) calls `send_due_reminders` here through
cases.reminders' registry (registered from PreventionConfig.ready), as the investigations do.

What is due, once each:
- a risk's review, on its review date (Risk.review_on, from the interval of its level);
- an accepted risk's acceptance, on its end date (Acceptance.until): it comes back for review.
Not for an analysis that next year's analysis starts from: its risks live on in that one (with
their review dates), and their acceptances are decided again there.

The e-mail goes to the organisation's integrity coordinators and says only that a risk of an
analysis is due for review, the date and the link: not the analysis's title, no texts of
risks. Each reminder's key (kind, object, due date) is recorded in RiskReminder in the
transaction that queues the mail (outbox, ADR 0017); the unique key makes every run idempotent,
also when two overlap, and a date that moves (a review sets the next one) gives a new key.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.audit.services import SYSTEM, record
from integriteit.cases.reminders import DUE, SentReminder
from integriteit.ui import dates

from .constants_analyses import AcceptanceStatus, ReminderKind
from .models import Acceptance, Analysis, Risk, RiskReminder

KIND_NAMES = {ReminderKind.REVIEW: "risk_review", ReminderKind.ACCEPTANCE: "risk_acceptance"}


@dataclass(frozen=True)
class DueItem:
    kind: str
    object_id: int
    due_on: datetime.date
    analysis: Analysis


def due_items(today: datetime.date) -> list[DueItem]:
    items = [
        DueItem(ReminderKind.REVIEW, risk.pk, risk.review_on, risk.process.analysis)
        for risk in Risk.objects.filter(
            review_on__lte=today, process__analysis__followers__isnull=True
        ).select_related("process__analysis__organisation")
        if risk.review_on is not None
    ]
    items += [
        DueItem(
            ReminderKind.ACCEPTANCE,
            acceptance.pk,
            acceptance.until,
            acceptance.risk.process.analysis,
        )
        for acceptance in Acceptance.objects.filter(
            status=AcceptanceStatus.ACTIVE,
            until__lte=today,
            risk__process__analysis__followers__isnull=True,
        ).select_related("risk__process__analysis__organisation")
    ]
    sent = set(
        RiskReminder.objects.filter(object_id__in={item.object_id for item in items}).values_list(
            "kind", "object_id", "due_on"
        )
    )
    return [item for item in items if (item.kind, item.object_id, item.due_on) not in sent]


def recipients(analysis: Analysis) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__role=Role.COORDINATOR,
            roles__organisation_id=analysis.organisation_id,
        )
        .distinct()
        .order_by("pk")
    )


def what_is_due(item: DueItem) -> str:
    date = dates.day(item.due_on)
    if item.kind == ReminderKind.ACCEPTANCE:
        return _("The acceptance of a risk ended on %(date)s: the risk is due for review.") % {
            "date": date
        }
    return _("A risk is due for review since %(date)s.") % {"date": date}


def _mails(item: DueItem, people: list[User]) -> list[tuple]:
    link = settings.SITE_URL + reverse(
        "prevention:analyses:detail", kwargs={"analysis_id": item.analysis.pk}
    )
    subject = _("Reminder for a risk analysis in Integriteit")
    body = _(
        "%(what)s\n\nOpen the risk analysis after logging in: %(link)s\n"
        "This e-mail contains no details of the analysis."
    ) % {
        "what": what_is_due(item),
        "link": link,
    }
    return [(subject, body, None, [person.email]) for person in people if person.email]


def _as_sent(item: DueItem, count: int) -> SentReminder:
    moment = timezone.make_aware(datetime.datetime.combine(item.due_on, datetime.time.min))
    reference = f"{item.analysis.title} ({item.analysis.year})"
    return SentReminder(reference, KIND_NAMES[ReminderKind(item.kind)], DUE, moment, count)


def _send(item: DueItem, now: datetime.datetime) -> SentReminder | None:
    people = recipients(item.analysis)
    try:
        with transaction.atomic():
            RiskReminder.objects.create(
                kind=item.kind,
                object_id=item.object_id,
                due_on=item.due_on,
                recipients=len(people),
                sent_at=now,
            )
            mails = _mails(item, people)
            if mails:  # queued in this transaction (ADR 0017)
                send_mass_mail(mails, fail_silently=False)
            record(
                SYSTEM,
                "prevention.reminder_sent",
                "risk_analysis",
                item.analysis.pk,
                {"kind": item.kind, "object": item.object_id, "due_on": item.due_on},
            )
    except IntegrityError:
        return None  # another run sent it meanwhile
    return _as_sent(item, len(people))


def send_due_reminders(now: datetime.datetime, dry_run: bool = False) -> list[SentReminder]:
    """Every risk analysis reminder due at `now` that was not sent before."""
    today = timezone.localdate(now)
    sent = []
    for item in due_items(today):
        if dry_run:
            sent.append(_as_sent(item, len(recipients(item.analysis))))
        elif (result := _send(item, now)) is not None:
            sent.append(result)
    return sent
