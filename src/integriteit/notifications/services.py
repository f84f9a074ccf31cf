"""Writes of notifications: tell people in the application and by e-mail, mark as read, and the
organisation's escalation settings.

`notify` runs inside the transaction of whatever it is about (a signal receiver, the reminder
run): the notification rows and the e-mail, queued in the outbox by the EMAIL_BACKEND (ADR 0017),
commit or roll back with it. Nobody excluded from the case is told (access.rules.is_excluded),
nor an inactive account, nor the person who caused it. The e-mail says only that something is
waiting and where (SECURITY.md): no reference, no names, no contents. One e-mail per person, so
no one learns who else was told; no second e-mail while an equal notification is still unread.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import is_excluded
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report

from . import selectors
from .constants import NotificationKind
from .models import EscalationSettings, Notification


def case_link(report: Report) -> str:
    return reverse("cases:detail", kwargs={"report_id": report.pk})


def _mail(kind: str, link: str, address: str) -> tuple[str, str, None, list[str]]:
    subject = _("Something is waiting for you in Integriteit")
    body = _(
        "%(what)s.\n\n"
        "Open it after logging in: %(link)s\n"
        "This e-mail contains no details of the case, for everyone's privacy."
    ) % {"what": NotificationKind(kind).label, "link": settings.SITE_URL + link}
    return (subject, body, None, [address])


def recipients(people: Iterable[User | None], report: Report | None, actor=None) -> list[User]:
    """Active people, each once, minus the actor and anyone excluded from the report."""
    found: dict[int, User] = {}
    for person in people:
        if person is None or not person.is_active or person.pk in found:
            continue
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        if report is not None and is_excluded(person, report):
            continue
        found[person.pk] = person
    return list(found.values())


def notify(
    people: Iterable[User | None],
    kind: str,
    report: Report | None,
    link: str,
    *,
    actor=None,
    now=None,
) -> list[Notification]:
    """Tell `people` that `kind` waits; call inside the transaction of what it is about. The
    e-mail leads to `link` (a path); the page shows its own link (selectors.shown)."""
    told = recipients(people, report, actor)
    if not told:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        already = set(
            Notification.objects.filter(
                user__in=told, kind=kind, report=report, read_at__isnull=True
            ).values_list("user_id", flat=True)
        )
        rows = Notification.objects.bulk_create(
            [Notification(user=person, kind=kind, report=report, created_at=now) for person in told]
        )
        mails = [
            _mail(kind, link, person.email)
            for person in told
            if person.email and person.pk not in already
        ]
        if mails:  # queued in this transaction (ADR 0017)
            send_mass_mail(mails, fail_silently=False)
    return rows


def mark_read(user: User, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; another's is not found."""
    return bool(
        Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_case_read(user: User, report: Report) -> int:
    """Opening the case page reads what was waiting about it."""
    return Notification.objects.filter(user=user, report=report, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def save_escalation_settings(
    user: User,
    organisation: Organisation,
    *,
    contact: User | None,
    escalate_due_soon: bool,
    escalate_overdue: bool,
) -> EscalationSettings:
    """The organisation's administrator sets who hears of deadlines about to pass or passed."""
    if not selectors.administered_organisations(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if (
        contact is not None
        and not selectors.contact_candidates(organisation).filter(pk=contact.pk).exists()
    ):
        raise ValidationError(
            _("The escalation contact must hold a role in the organisation that handles cases.")
        )
    found, _created = EscalationSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "contact": contact,
            "escalate_due_soon": escalate_due_soon,
            "escalate_overdue": escalate_overdue,
        },
    )
    record(
        Actor.of(user),
        "notifications.escalation_settings_changed",
        "organisation",
        organisation.pk,
        {
            "contact": contact.pk if contact else None,
            "escalate_due_soon": escalate_due_soon,
            "escalate_overdue": escalate_overdue,
        },
    )
    return found
