"""The subject: who the case is about, and when and how they were informed."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.reports import services as report_services
from integriteit.reports.constants import ExclusionReason
from integriteit.reports.models import Report

from .. import people
from ..constants import (
    SubjectInformedHow,
)
from ..guards import CaseAction
from ..models import (
    Subject,
)
from .base import CaseError, _guard, _require, seal_on


@transaction.atomic
def record_subject(
    user: User, report: Report, *, person: User | None = None, description: str = ""
) -> Subject:
    _require(user, Action.RECORD_SUBJECT, report)
    _guard(CaseAction.RECORD_SUBJECT, report)
    if person is None and not description.strip():
        raise CaseError(_("Choose the person or describe them."))
    subject = Subject.objects.create(report=report)
    if description:
        seal_on(subject, "sealed_description", description)
    if person is not None:
        people.refer(subject, "person", person)  # a tag and a sealed id, never the id (ADR 0013)
        # The subject never sees the case (SYSTEM.md "Need to know").
        report_services.exclude_people(report, [person], ExclusionReason.NAMED)
    record(Actor.of(user), "case.subject_recorded", "report", report.pk, {"subject": subject.pk})
    return subject


@transaction.atomic
def record_subject_informed(
    user: User, subject: Subject, *, informed_at: datetime.datetime, how: str, note: str = ""
) -> Subject:
    _require(user, Action.RECORD_SUBJECT, subject.report)
    _guard(CaseAction.RECORD_SUBJECT_INFORMED, subject.report)
    if informed_at > timezone.now():
        raise CaseError(_("The moment of informing cannot be in the future."))
    if how == SubjectInformedHow.NOT_YET:
        # A postponement (e.g. to protect evidence) is recorded with its reason, but the subject
        # is not informed yet, so the investigation cannot be completed on it.
        if not note.strip():
            raise CaseError(_("Give the reason why the subject is not informed yet."))
        subject.informed_how = how
        subject.save(update_fields=["informed_how"])
        seal_on(subject, "sealed_informed_note", note)
        record(Actor.of(user), "case.subject_not_yet_informed", "report", subject.report_id)
        return subject
    subject.informed_at, subject.informed_how = informed_at, how
    subject.save(update_fields=["informed_at", "informed_how"])
    if note:
        seal_on(subject, "sealed_informed_note", note)
    record(
        Actor.of(user),
        "case.subject_informed",
        "report",
        subject.report_id,
        {"subject": subject.pk, "how": how},
    )
    return subject
