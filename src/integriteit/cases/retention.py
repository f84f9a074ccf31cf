"""Removing personal data after the retention term (RULES R9; issue 3 §8; ADR 0008).

A closed case keeps its personal data until `retention_until` (set at closing from the
organisation's `retention_years`, default 5) and, should the organisation have lengthened its
term since, until closure plus the current term: the later of the two counts. Then
`remove_personal_data` removes everything personal and keeps the anonymous registry facts:

removed, each module its own records: by the reporting channel (`reports.retention`) the
reporter's identity, the report's contents, messages, attachments (rows and files on disk),
exclusions, the receipt code's lookup and hash; by the case handling (here) the subjects'
descriptions, notes and person references (lookup tag and sealed id, ADR 0013), hearing records
and who assisted, aftercare descriptions and cancel reasons, descriptions of signals of
disadvantage, reasons, outcome and referral organisation of the follow-up, the assessment notes,
the decision summary, reasons of order measures, the evaluation comment, reasons of phase
changes; by each later module through the removers it registers (`register_remover`), e.g.
investigations: the documents of the file and the report versions (rows and files), the
interviewees' references, invitations, records, comments and advisers, the recorded step fields
and deviation reasons, the assignment note. Then the report's data key is destroyed through the
key-holder registry (`crypto.holders.destroy_key`, crypto-shredding), so any ciphertext left
anywhere (a backup, a file the removal missed) can no longer be read;

kept: organisation, kind and classified kind and types, channel, form, relation, anonymity, the
dates (received, acknowledged, classified, feedback, closed), phase history without reasons,
follow-up route and referral target, findings per type, measures by type and date, order measure
kinds and dates, evaluation scores, reminders sent, and the audit trail; of an investigation: that
it took place, its protocol version, the states and dates of its steps, who completed them, the
investigators, interview dates and roles, document kinds and sizes, report version kinds and dates.

Data removal is an explicit, recorded act (Open Formulieren `data_removal`, Signalen ADR 0006):
one audit entry per case with the counts of what was removed, and the run refuses to start when
its selection would touch a case that is not closed.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from integriteit.audit.services import SYSTEM, record
from integriteit.crypto.holders import destroy_key
from integriteit.deadlines.services import add_months
from integriteit.organisations.models import Organisation
from integriteit.reports import retention as report_retention
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from .models import (
    AftercareAction,
    Assessment,
    Decision,
    DisadvantageSignal,
    Evaluation,
    FollowUp,
    Hearing,
    OrderMeasure,
    PhaseChange,
    Subject,
)

# A shorter term would remove the data while the reporter may still evaluate or complain.
MIN_RETENTION_YEARS = 1


class RetentionRefused(Exception):
    """The settings or the data would make the run remove what it must not; nothing was done."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class RemovedCase:
    reference: str
    removed: dict[str, int]


@dataclass
class RetentionRun:
    now: datetime.datetime
    dry_run: bool = False
    removed: list[RemovedCase] = field(default_factory=list)
    # Past their term but kept while a complaint about their handling is open (at most
    # COMPLAINT_HOLD_MONTHS after the complaint was received).
    held_back: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.removed)


def _past_term(now: datetime.datetime) -> Q:
    """Closed for at least the organisation's current term (one condition per term in use)."""
    condition = Q(pk__in=[])
    for years in Organisation.objects.values_list("retention_years", flat=True).distinct():
        condition |= Q(
            organisation__retention_years=years, closed_at__lte=add_months(now, -12 * years)
        )
    return condition


def _expired(now: datetime.datetime) -> QuerySet[Report]:
    """Reports whose retention term has passed and whose data is still there (closed or not)."""
    return Report.objects.filter(
        retention_until__isnull=False,
        retention_until__lte=now,
        personal_data_removed_at__isnull=True,
    )


def problems(now: datetime.datetime | None = None) -> list[str]:
    """Why a run must not start: settings or data that would remove data of open cases."""
    now = now or timezone.now()
    found = []
    short = Organisation.objects.filter(retention_years__lt=MIN_RETENTION_YEARS)
    for organisation in short:
        found.append(
            f"Organisation {organisation.slug!r} keeps personal data "
            f"{organisation.retention_years} year(s) after closure; the minimum is "
            f"{MIN_RETENTION_YEARS} (RULES R9)."
        )
    open_cases = _expired(now).filter(Q(closed_at__isnull=True) | ~Q(phase=Phase.CLOSED))
    references = list(open_cases.values_list("reference", flat=True)[:20])
    if references:
        found.append(
            "These cases are not closed but their retention date has passed: "
            + ", ".join(references)
            + ". Close them or clear their retention date first."
        )
    return found


def due_for_removal(now: datetime.datetime) -> QuerySet[Report]:
    """Closed cases past their term (uses the retention_until index)."""
    return (
        _expired(now)
        .filter(phase=Phase.CLOSED, closed_at__isnull=False)
        .filter(_past_term(now))
        .order_by("retention_until", "pk")
    )


def open_complaints(report: Report) -> QuerySet[Report]:
    return report.complaints.exclude(phase=Phase.CLOSED)


def _held_for_complaint(report: Report, now: datetime.datetime) -> bool:
    """An open complaint about the handling holds the original's personal data back while it is
    handled, but never for longer than `COMPLAINT_HOLD_MONTHS` after the complaint was received
    (issue 10 defect 3). Without that bound a complaint that nobody handles (nobody independent
    of the case, routing.py) would keep the data for ever, against RULES R9 (no longer than
    necessary); the bound is a setting, default 12 months: four times the legal feedback term
    of RULES R4, enough for the complaint's handlers to ask for what they need."""
    since = add_months(now, -settings.COMPLAINT_HOLD_MONTHS)
    return open_complaints(report).filter(received_at__gt=since).exists()


def _count_case_records(report: Report) -> dict[str, int]:
    """What a removal takes away of the case handling's own records (nothing of the contents)."""
    return {
        "subjects": report.subjects.count(),
        "hearings": report.hearings.count(),
        "aftercare_actions": report.aftercare_actions.count(),
        "disadvantage_signals": report.disadvantage_signals.count(),
        "order_measures": report.order_measures.count(),
        "phase_change_reasons": report.phase_changes.exclude(sealed_reason=None).count(),
        "follow_up": FollowUp.objects.filter(report=report).count(),
        "assessment_notes": Assessment.objects.filter(report=report)
        .exclude(sealed_notes=None)
        .count(),
        "decision_summary": Decision.objects.filter(report=report).count(),
        "evaluation_comment": Evaluation.objects.filter(report=report)
        .exclude(sealed_comment=None)
        .count(),
    }


def _count(report: Report) -> dict[str, int]:
    return report_retention.count_personal_data(report) | _count_case_records(report)


# Later modules remove their own personal data of a case (e.g. investigations) without cases
# importing them: each remover runs inside the removal transaction and returns counts.
REMOVERS: list[Callable[[Report], dict[str, int]]] = []


def register_remover(remover: Callable[[Report], dict[str, int]]) -> None:
    if remover not in REMOVERS:
        REMOVERS.append(remover)


def _remove_case_records(report: Report) -> dict[str, int]:
    removed = _count_case_records(report)
    # The lookup tag goes too: left behind, it would still link the person to this case for
    # whoever holds the tag key (ADR 0013).
    Subject.objects.filter(report=report).update(
        person_tag="", sealed_person=None, sealed_description=None, sealed_informed_note=None
    )
    Hearing.objects.filter(report=report).update(sealed_record=b"", sealed_assisted_by=None)
    AftercareAction.objects.filter(report=report).update(
        sealed_description=b"", sealed_cancel_reason=None
    )
    DisadvantageSignal.objects.filter(report=report).update(sealed_description=b"")
    OrderMeasure.objects.filter(report=report).update(sealed_reason=b"")
    PhaseChange.objects.filter(report=report).update(sealed_reason=None)
    FollowUp.objects.filter(report=report).update(
        sealed_reason=b"", sealed_outcome=None, sealed_referral_organisation=None
    )
    Assessment.objects.filter(report=report).update(sealed_notes=None)
    Decision.objects.filter(report=report).update(sealed_summary=b"")
    Evaluation.objects.filter(report=report).update(sealed_comment=None)
    return removed


def _remove(report: Report, now: datetime.datetime) -> dict[str, int]:
    """Remove one case's personal data; runs inside the caller's transaction. Each module
    removes its own records: the case handling here, later modules through their registered
    removers, the reporting channel through its own service."""
    removed = _remove_case_records(report)
    for remover in REMOVERS:
        removed |= remover(report)
    removed |= report_retention.remove_personal_data(report)
    # Crypto-shredding: without the wrapped data key no ciphertext of this case can be opened.
    destroy_key(report)
    report.personal_data_removed_at = now
    report.save(update_fields=["personal_data_removed_at"])
    return removed | {"data_key": 1}


def remove_personal_data(
    now: datetime.datetime | None = None, *, dry_run: bool = False
) -> RetentionRun:
    """Remove the personal data of every closed case past its retention term. Idempotent: a
    case is handled once (personal_data_removed_at), each in its own transaction."""
    now = now or timezone.now()
    if found := problems(now):
        raise RetentionRefused(found)
    run = RetentionRun(now=now, dry_run=dry_run)
    for report in due_for_removal(now).only("id", "reference"):
        if _held_for_complaint(report, now):
            run.held_back.append(report.reference)
            continue
        if dry_run:
            run.removed.append(RemovedCase(report.reference, _count(report)))
            continue
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.personal_data_removed_at is not None or locked.phase != Phase.CLOSED:
                continue  # another run was first, or the case was reopened meanwhile
            # A complaint still open past its hold: recorded, so the removal can be explained.
            complaints = list(open_complaints(locked).values_list("reference", flat=True))
            removed = _remove(locked, now)
            record(
                SYSTEM,
                "case.personal_data_removed",
                "report",
                locked.pk,
                {
                    "removed": removed,
                    "retention_until": locked.retention_until,
                    "rule": "RULES R9",
                    **({"open_complaints": complaints} if complaints else {}),
                },
            )
        run.removed.append(RemovedCase(locked.reference, removed))
    return run
