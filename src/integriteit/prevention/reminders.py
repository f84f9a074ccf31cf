"""Reminders that a declaration of a side activity is due for re-confirmation (RULES R16: the
register is kept up to date; once a year), sent with the case reminders: cases.reminders calls
`send_due_reminders` here through its registry (registered in PreventionConfig.ready), so
`manage.py send_reminders` (and `run_scheduler`) sends them.

The e-mail goes to the official and says only that a declaration waits for her confirmation
and where: never its contents (SECURITY.md). Each reminder's key (declaration, the day it became
due) is recorded in ReconfirmationReminder in the transaction that queues the mail (outbox, ADR
0017); the unique key makes every run idempotent, also when two overlap. A re-confirmation moves
the due day, so the next year brings a new reminder.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.cases.reminders import DUE, SentReminder

from .declarations import due_on
from .models import ReconfirmationReminder, SideActivity
from .selectors import due_for_reconfirmation

KIND = "side_activity_reconfirmation"


def _reference(declaration: SideActivity) -> str:
    return f"NW-{declaration.pk}"


def _as_sent(declaration: SideActivity, day: datetime.date, count: int) -> SentReminder:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return SentReminder(_reference(declaration), KIND, DUE, moment, count)


def _mail(declaration: SideActivity) -> tuple:
    link = settings.SITE_URL + reverse(
        "prevention:declaration_detail", kwargs={"declaration_id": declaration.pk}
    )
    subject = _("Please confirm your declaration of a side activity")
    body = _(
        "A side activity you declared was last confirmed more than a year ago. Please confirm "
        "that it is still accurate, change it or withdraw it: %(link)s\n"
        "This e-mail contains no details of the declaration."
    ) % {"link": link}
    return (subject, body, None, [declaration.official.email])


def due_items(now: datetime.datetime) -> list[tuple[SideActivity, datetime.date]]:
    due = due_for_reconfirmation(now).select_related("official").order_by("pk")
    items = [(declaration, due_on(declaration)) for declaration in due]
    sent = set(
        ReconfirmationReminder.objects.filter(
            declaration__in=[declaration.pk for declaration, _day in items]
        ).values_list("declaration_id", "due_on")
    )
    return [(d, day) for d, day in items if day is not None and (d.pk, day) not in sent]


def _send(declaration: SideActivity, day: datetime.date) -> SentReminder | None:
    with transaction.atomic():
        _log, created = ReconfirmationReminder.objects.get_or_create(
            declaration=declaration, due_on=day
        )
        if not created:
            return None
        recipients = 1 if declaration.official.email and declaration.official.is_active else 0
        if recipients:  # queued in this transaction (ADR 0017)
            send_mass_mail([_mail(declaration)], fail_silently=False)
    return _as_sent(declaration, day, recipients)


def send_due_reminders(now: datetime.datetime, dry_run: bool = False) -> list[SentReminder]:
    """Send every re-confirmation reminder due at `now` that was not sent before."""
    sent = []
    for declaration, day in due_items(now):
        if dry_run:
            sent.append(_as_sent(declaration, day, 1))
        elif (result := _send(declaration, day)) is not None:
            sent.append(result)
    return sent
