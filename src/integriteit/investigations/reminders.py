"""Reminders of investigation time limits (issue 4 §6; RULES R12: time limits configurable per
step), sent with the case reminders: cases.reminders.send_due_reminders calls
`send_due_reminders` here through its registry (registered in InvestigationsConfig.ready).

What is due: the open step of every running investigation (StepRecord.due_on, from the step's
time limit when it opened) and the investigation's overall deadline, each once when it is due
soon and once when it has passed. "Due soon" is `deadlines.services.urgency`, the same window as
every case deadline and the investigation page (DUE_SOON_DAYS). Deferred steps (deviation
approved) are not reminded: their time runs from the approval, and closing waits for them.

The e-mail goes to the active members of the investigation and the case's competent authority
and says only the case reference, the step and the date: never contents or names (SECURITY.md).
Each reminder's key (investigation, step or "overall", stage, date) is recorded in
InvestigationReminder in the transaction that decides to send it, and the mail is queued in the
outbox in that transaction too (ADR 0017): it leaves after the commit and is retried until it
goes. The unique constraint makes runs idempotent, also when two overlap.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import is_excluded
from integriteit.accounts.models import User
from integriteit.cases.constants import CaseRole
from integriteit.cases.reminders import NEAR, OVERDUE, SentReminder
from integriteit.deadlines.services import Urgency, due_soon_window, urgency
from integriteit.reports.constants import Phase
from integriteit.ui import dates

from .models import Investigation, InvestigationReminder, StepRecord

STEP = "investigation_step"
DEADLINE = "investigation_deadline"
OVERALL = "overall"


@dataclass(frozen=True)
class DueStep:
    investigation: Investigation
    kind: str  # STEP or DEADLINE
    key: str  # "step:<code>" or "overall"
    stage: str  # NEAR or OVERDUE
    due_on: datetime.date
    step_name: str = ""


def _stage(due_on: datetime.date, now: datetime.datetime) -> str | None:
    return {Urgency.NEAR: NEAR, Urgency.OVERDUE: OVERDUE}.get(urgency(due_on, None, now))


def _running():
    return Investigation.objects.filter(
        completed_at__isnull=True,
        report__personal_data_removed_at__isnull=True,
    ).exclude(report__phase=Phase.CLOSED)


def due_items(now: datetime.datetime) -> list[DueStep]:
    """Everything due at `now` that was not sent yet."""
    horizon = timezone.localtime(now).date() + due_soon_window()
    items = []
    steps = (
        StepRecord.objects.filter(
            investigation__in=_running(),
            opened_at__isnull=False,
            completed_at__isnull=True,
            deviation_approved_at__isnull=True,
            due_on__lte=horizon,
        )
        .select_related("step", "investigation__report")
        .order_by("due_on", "pk")
    )
    for rec in steps:
        if rec.due_on is None:
            continue
        if stage := _stage(rec.due_on, now):
            items.append(
                DueStep(
                    rec.investigation,
                    STEP,
                    f"step:{rec.step.code}",
                    stage,
                    rec.due_on,
                    rec.step.name,
                )
            )
    for investigation in _running().filter(deadline__lte=horizon).select_related("report"):
        if stage := _stage(investigation.deadline, now):
            items.append(DueStep(investigation, DEADLINE, OVERALL, stage, investigation.deadline))
    sent = set(
        InvestigationReminder.objects.filter(
            investigation__in={item.investigation.pk for item in items}
        ).values_list("investigation_id", "key", "stage", "due_on")
    )
    return [
        item
        for item in items
        if (item.investigation.pk, item.key, item.stage, item.due_on) not in sent
    ]


def recipients(investigation: Investigation) -> list[User]:
    """The active members and the case's competent authority, never anyone excluded."""
    report = investigation.report
    people = User.objects.filter(is_active=True).exclude(email="")
    members = people.filter(
        investigation_memberships__investigation=investigation,
        investigation_memberships__ended_at__isnull=True,
    )
    authorities = people.filter(
        case_assignments__report=report,
        case_assignments__role=CaseRole.COMPETENT_AUTHORITY,
        case_assignments__ended_at__isnull=True,
    )
    found = {u.pk: u for u in [*members, *authorities]}
    return [u for u in found.values() if not is_excluded(u, report)]


def what_is_due(item: DueStep) -> str:
    date = dates.day(item.due_on)
    if item.kind == STEP:
        if item.stage == NEAR:
            return _("The step “%(step)s” of the investigation is due on %(date)s.") % {
                "step": _(item.step_name),
                "date": date,
            }
        return _("The step “%(step)s” of the investigation is overdue since %(date)s.") % {
            "step": _(item.step_name),
            "date": date,
        }
    if item.stage == NEAR:
        return _("The investigation must be completed by %(date)s.") % {"date": date}
    return _("The time limit of the investigation passed on %(date)s.") % {"date": date}


def _mails(item: DueStep, people: list[User]) -> list[tuple]:
    report = item.investigation.report
    link = settings.SITE_URL + reverse("cases:detail", kwargs={"report_id": report.pk})
    subject = _("Reminder for the investigation in case %(reference)s") % {
        "reference": report.reference
    }
    body = _(
        "Case %(reference)s: %(what)s\n\n"
        "Open the case in the workspace: %(link)s\n"
        "This e-mail contains no details of the case."
    ) % {"reference": report.reference, "what": what_is_due(item), "link": link}
    return [(subject, body, None, [person.email]) for person in people]


def _as_sent(item: DueStep, count: int) -> SentReminder:
    moment = timezone.make_aware(datetime.datetime.combine(item.due_on, datetime.time.min))
    return SentReminder(item.investigation.report.reference, item.kind, item.stage, moment, count)


def _send(item: DueStep) -> SentReminder | None:
    with transaction.atomic():
        _log, created = InvestigationReminder.objects.get_or_create(
            investigation=item.investigation, key=item.key, stage=item.stage, due_on=item.due_on
        )
        if not created:
            return None
        people = recipients(item.investigation)
        mails = _mails(item, people)
        if mails:  # queued in this transaction (ADR 0017)
            send_mass_mail(mails, fail_silently=False)
    return _as_sent(item, len(people))


def send_due_reminders(now: datetime.datetime, dry_run: bool = False) -> list[SentReminder]:
    """Send every investigation reminder due at `now` that was not sent before."""
    sent = []
    for item in due_items(now):
        if dry_run:
            sent.append(_as_sent(item, len(recipients(item.investigation))))
        elif (result := _send(item)) is not None:
            sent.append(result)
    return sent
