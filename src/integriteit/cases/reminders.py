"""Reminders of due work (issue 3 §7), sent by `manage.py send_reminders`.

What is due:

- acknowledgement (RULES R3): once when it is due soon (`deadlines.services.due_soon_window`,
  the same "due soon" as on every page) and once more when it is overdue;
- interim feedback: when `services.interim_feedback_due` is reached (every N weeks per
  organisation, seed 004 §6);
- final feedback (RULES R4): once when due soon and once when overdue;
- aftercare actions that are open on or after their date;
- evaluation: an invitation unanswered for EVALUATION_REMINDER_WEEKS gets one reminder to the
  reporter, in the mailbox (the only way to reach an anonymous reporter).

Staff reminders go by e-mail to the case's coordinators, handlers and process guides and say
only the reference, what is due and where the workspace is: never contents or names
(SECURITY.md). Each reminder has a key (report, kind, moment it became due), recorded in
ReminderLog in the same transaction that decides to send it, and so is the mail, in the outbox
(ADR 0017): it leaves after the commit and is tried again until it goes, so a failed mail loses
no reminder.
The unique constraint on that key makes every run idempotent, also when two runs overlap: the
command can run every minute and each reminder is sent once. A due date that moves (feedback
given, a report acknowledged) gives a new key, so a new reminder when that one comes due.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import is_excluded
from integriteit.accounts.models import User
from integriteit.audit.services import SYSTEM, record
from integriteit.deadlines.services import due_soon_window
from integriteit.organisations.models import Organisation
from integriteit.reports import services as report_services
from integriteit.reports.constants import MessageKind, Phase, Sender
from integriteit.reports.models import Report
from integriteit.ui import dates

from . import services
from .constants import CaseRole, ReminderKind
from .models import AftercareAction, Evaluation, ReminderLog

EVALUATION_REMINDER_WEEKS = 4

NEAR = "near"
OVERDUE = "overdue"
DUE = "due"


@dataclass(frozen=True)
class DueReminder:
    report: Report
    kind: str
    # The moment this reminder became due: with report and kind the key in ReminderLog.
    due_at: datetime.datetime
    stage: str
    # The deadline itself, shown in the reminder.
    deadline: datetime.datetime
    count: int = 1


@dataclass
class SentReminder:
    reference: str
    kind: str
    stage: str
    deadline: datetime.datetime
    recipients: int


@dataclass
class ReminderRun:
    now: datetime.datetime
    dry_run: bool = False
    sent: list[SentReminder] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(item.kind for item in self.sent)
        return {kind.value: counted.get(kind.value, 0) for kind in ReminderKind} | {
            kind: n for kind, n in counted.items() if kind not in ReminderKind.values
        }

    @property
    def total(self) -> int:
        return len(self.sent)


# Reminders of other apps (investigations: steps and overall time limits, issue 4 §6). Cases does
# not import them: an app registers a sender in its AppConfig.ready. A sender takes (now,
# dry_run), keeps its own idempotency log, and returns what it sent (or would send).
ReminderSender = Callable[[datetime.datetime, bool], list["SentReminder"]]
_senders: list[ReminderSender] = []


def register(sender: ReminderSender) -> None:
    if sender not in _senders:
        _senders.append(sender)


# --- What is due -----------------------------------------------------------------------------


def _open_cases() -> QuerySet[Report]:
    """Submitted, not closed, personal data present: the cases staff reminders are about."""
    return (
        Report.objects.submitted()
        .filter(personal_data_removed_at__isnull=True)
        .exclude(phase=Phase.CLOSED)
        .select_related(None)
        .only("id", "reference", "organisation_id", "phase")
    )


def _two_stage(
    reports: Iterable[Report], kind: str, deadline_field: str, near: datetime.timedelta, now
) -> list[DueReminder]:
    """Due soon (once) and overdue (once); a run after the deadline sends only "overdue"."""
    due = []
    for report in reports:
        deadline = getattr(report, deadline_field)
        if now >= deadline:
            due.append(DueReminder(report, kind, deadline, OVERDUE, deadline))
        elif near and now >= deadline - near:
            due.append(DueReminder(report, kind, deadline - near, NEAR, deadline))
    return due


def _acknowledgements(now: datetime.datetime) -> list[DueReminder]:
    near = due_soon_window()  # RULES R3
    reports = _open_cases().filter(
        acknowledged_at__isnull=True, acknowledgement_due__lte=now + near
    )
    return _two_stage(
        reports.only("id", "reference", "acknowledgement_due"),
        ReminderKind.ACKNOWLEDGEMENT,
        "acknowledgement_due",
        near,
        now,
    )


def _final_feedback(now: datetime.datetime) -> list[DueReminder]:
    near = due_soon_window()  # RULES R4
    reports = _open_cases().filter(feedback_given_at__isnull=True, feedback_due__lte=now + near)
    return _two_stage(
        reports.only("id", "reference", "feedback_due"),
        ReminderKind.FINAL_FEEDBACK,
        "feedback_due",
        near,
        now,
    )


def _interim_feedback(now: datetime.datetime) -> list[DueReminder]:
    """One query per distinct interval in use (a handful), filtered in the database."""
    weeks_in_use = Organisation.objects.values_list("interim_feedback_weeks", flat=True).distinct()
    condition = Q(pk__in=[])
    for weeks in weeks_in_use:
        cut = now - datetime.timedelta(weeks=weeks)
        condition |= Q(organisation__interim_feedback_weeks=weeks) & (
            Q(last_feedback_at__lte=cut)
            | Q(last_feedback_at__isnull=True, acknowledged_at__lte=cut)
        )
    reports = (
        _open_cases()
        .filter(acknowledged_at__isnull=False, feedback_given_at__isnull=True)
        .filter(condition)
        .select_related("organisation")
        .only(
            "id",
            "reference",
            "phase",
            "acknowledged_at",
            "feedback_given_at",
            "last_feedback_at",
            "organisation__interim_feedback_weeks",
        )
    )
    due = []
    for report in reports:
        moment = services.interim_feedback_due(report)
        if moment is not None and moment <= now:
            due.append(DueReminder(report, ReminderKind.INTERIM_FEEDBACK, moment, DUE, moment))
    return due


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _aftercare(now: datetime.datetime) -> list[DueReminder]:
    """One reminder per case and date, however many actions fall due that day."""
    today = timezone.localtime(now).date()
    rows = Counter(
        AftercareAction.objects.filter(
            done_at__isnull=True,
            cancelled_at__isnull=True,
            due_on__lte=today,
            report__in=_open_cases(),
        ).values_list("report_id", "due_on")
    )
    reports = {r.pk: r for r in _open_cases().filter(pk__in={pk for pk, _day in rows})}
    return [
        DueReminder(
            reports[pk], ReminderKind.AFTERCARE, _start_of(day), DUE, _start_of(day), count=n
        )
        for (pk, day), n in sorted(rows.items(), key=lambda item: (item[0][1], str(item[0][0])))
    ]


def _evaluations(now: datetime.datetime) -> list[DueReminder]:
    """Closed cases too: the evaluation is answered after the case is closed."""
    wait = datetime.timedelta(weeks=EVALUATION_REMINDER_WEEKS)
    evaluations = (
        Evaluation.objects.filter(
            answered_at__isnull=True,
            invited_at__lte=now - wait,
            report__submitted_at__isnull=False,
            report__personal_data_removed_at__isnull=True,
        )
        .select_related("report")
        .only("invited_at", "report__reference")
    )
    due = []
    for evaluation in evaluations:
        moment = evaluation.invited_at + wait
        due.append(DueReminder(evaluation.report, ReminderKind.EVALUATION, moment, DUE, moment))
    return due


def due_reminders(now: datetime.datetime) -> list[DueReminder]:
    """Everything due at `now` that was not sent yet (one query per kind for the logs)."""
    candidates = (
        _acknowledgements(now)
        + _interim_feedback(now)
        + _final_feedback(now)
        + _aftercare(now)
        + _evaluations(now)
    )
    sent: set[tuple] = set()
    by_kind: dict[str, set] = {}
    for item in candidates:
        by_kind.setdefault(item.kind, set()).add(item.report.pk)
    for kind, report_ids in by_kind.items():
        sent |= {
            (kind, report_id, due_at)
            for report_id, due_at in ReminderLog.objects.filter(
                kind=kind, report_id__in=report_ids
            ).values_list("report_id", "due_at")
        }
    return [c for c in candidates if (c.kind, c.report.pk, c.due_at) not in sent]


# --- Sending ---------------------------------------------------------------------------------


def staff_recipients(report: Report) -> list[User]:
    """Coordinators and handlers (services.case_coordinators) and the active process guides,
    never anyone excluded from the case."""
    people = {u.pk: u for u in services.case_coordinators(report)}
    guides = User.objects.filter(
        is_active=True,
        case_assignments__report=report,
        case_assignments__role=CaseRole.PROCESS_GUIDE,
        case_assignments__ended_at__isnull=True,
    )
    for guide in guides:
        if guide.pk not in people and not is_excluded(guide, report):
            people[guide.pk] = guide
    return [u for u in people.values() if u.is_active and u.email]


def _date(moment: datetime.datetime) -> str:
    return dates.day(moment)


def what_is_due(item: DueReminder) -> str:
    """One line saying what is due: no contents, no names."""
    date = _date(item.deadline)
    if item.kind == ReminderKind.ACKNOWLEDGEMENT:
        if item.stage == NEAR:
            return _("The acknowledgement of receipt is due on %(date)s (RULES R3).") % {
                "date": date
            }
        return _("The acknowledgement of receipt is overdue since %(date)s (RULES R3).") % {
            "date": date
        }
    if item.kind == ReminderKind.FINAL_FEEDBACK:
        if item.stage == NEAR:
            return _("The feedback to the reporter is due on %(date)s (RULES R4).") % {"date": date}
        return _("The feedback to the reporter is overdue since %(date)s (RULES R4).") % {
            "date": date
        }
    if item.kind == ReminderKind.INTERIM_FEEDBACK:
        return _("Interim feedback to the reporter is due since %(date)s.") % {"date": date}
    return _("%(count)d aftercare action(s) due on %(date)s.") % {
        "count": item.count,
        "date": date,
    }


def _staff_mail(item: DueReminder, recipients: list[User]) -> list[tuple]:
    link = settings.SITE_URL + reverse("cases:detail", kwargs={"report_id": item.report.pk})
    subject = _("Reminder for case %(reference)s") % {"reference": item.report.reference}
    body = _(
        "Case %(reference)s: %(what)s\n\n"
        "Open the case in the workspace: %(link)s\n"
        "This e-mail contains no details of the case."
    ) % {"reference": item.report.reference, "what": what_is_due(item), "link": link}
    # One message per person: recipients do not learn who else works on the case.
    return [(subject, body, None, [person.email]) for person in recipients]


def evaluation_reminder_text() -> str:
    return _(
        "We would still like to hear how you experienced the handling of your report. "
        "The short evaluation is in your mailbox; answering takes a few minutes and helps us "
        "do better. Thank you."
    )


def _send(item: DueReminder) -> SentReminder | None:
    """Record and send one reminder in one transaction; None when another run already did."""
    with transaction.atomic():
        _log, created = ReminderLog.objects.get_or_create(
            report_id=item.report.pk, kind=item.kind, due_at=item.due_at
        )
        if not created:
            return None
        if item.kind == ReminderKind.EVALUATION:
            report = Report.objects.get(pk=item.report.pk)
            report_services.post_message(
                report, Sender.STAFF, MessageKind.EVALUATION_INVITATION, evaluation_reminder_text()
            )
            record(SYSTEM, "case.evaluation_reminder", "report", report.pk)
            report_services.notify_reporter(report)
            recipients = 1
        else:
            people = staff_recipients(item.report)
            mails = _staff_mail(item, people)
            if mails:  # queued in this transaction (ADR 0017)
                send_mass_mail(mails, fail_silently=False)
            recipients = len(people)
    return SentReminder(item.report.reference, item.kind, item.stage, item.deadline, recipients)


def send_due_reminders(
    now: datetime.datetime | None = None, *, dry_run: bool = False
) -> ReminderRun:
    """Send every reminder due at `now` that was not sent before. Safe to run every minute."""
    now = now or timezone.now()
    run = ReminderRun(now=now, dry_run=dry_run)
    for item in due_reminders(now):
        if dry_run:
            recipients = (
                1 if item.kind == ReminderKind.EVALUATION else len(staff_recipients(item.report))
            )
            run.sent.append(
                SentReminder(
                    item.report.reference, item.kind, item.stage, item.deadline, recipients
                )
            )
            continue
        sent = _send(item)
        if sent is not None:
            run.sent.append(sent)
    for sender in _senders:
        run.sent.extend(sender(now, dry_run))
    return run
