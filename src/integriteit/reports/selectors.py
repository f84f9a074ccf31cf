"""All reads of reports. Staff reads start from the access rules; the reporter's reads start
from the report her receipt code opened. Contents are decrypted here and nowhere else."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from integriteit.access.rules import Action, can, reports_visible_to, shown_to
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.crypto.envelope import DecryptionError, Sealer
from integriteit.crypto.tokens import person_tag
from integriteit.deadlines.services import Deadline, due_soon_window, legal_deadlines
from integriteit.ui.integrity import flag, for_display, unreadable_note

from . import receipts
from .constants import DeadlineFilter
from .models import IS_ACKNOWLEDGED, Attachment, Report, ReportExclusion
from .sealing import (
    Content,
    Identity,
    open_attachment_name,
    open_content,
    open_identity,
    open_message_body,
    sealer_for,
)

# Free-text search decrypts the reports a user may see; past this many it stops and says so.
SEARCH_DECRYPT_LIMIT = 5000
# Reports read and seal-checked at a time by the search (one query for their exclusions each).
SEARCH_CHUNK = 500


def report_with_receipt(report_id, code: str) -> Report | None:
    """The submitted report `report_id` if `code` is its receipt code, else None. A receipt page
    shows a code only for a report that was stored with it (ADR 0005)."""
    return (
        Report.objects.submitted()
        .filter(pk=report_id, receipt_lookup=receipts.lookup_key(code))
        .first()
    )


def report_for(user, report_id, action: Action = Action.VIEW) -> Report:
    """The report if the user may perform `action` on it. Otherwise 404, never 403: a person
    without access cannot tell whether the report exists (SYSTEM.md "Need to know"). A report
    whose access seal fails (its organisation or exclusions changed in the database) is 404 for
    everyone, its own coordinators too, and raises an integrity alert (ADR 0012)."""
    report = reports_visible_to(user).filter(pk=report_id).first()
    if report is None or not shown_to(user, [report]) or not can(user, action, report):
        raise Http404
    return report


@dataclass
class QueueResult:
    reports: QuerySet[Report]
    search_truncated: bool = False
    # Reports the search skipped because their contents failed the integrity check (flagged).
    unreadable: int = 0


def queue(user, filters: dict, visible: QuerySet[Report] | None = None) -> QueueResult:
    """The work queue. `visible`: reports_visible_to(user) when the caller already has it.
    The default order matches the index report_queue_order_idx (reports.models)."""
    if visible is None:
        visible = reports_visible_to(user)
    reports = visible.select_related("organisation")
    now = timezone.now()
    if filters.get("organisation"):
        reports = reports.filter(organisation=filters["organisation"])
    if filters.get("units"):  # the unit concerned and the units under it (cases.filters)
        reports = reports.filter(unit__in=filters["units"])
    if filters.get("phase"):
        reports = reports.filter(phase=filters["phase"])
    if filters.get("kind"):
        reports = reports.filter(
            Q(classified_kind=filters["kind"]) | Q(classified_kind="", kind=filters["kind"])
        )
    deadline = filters.get("deadline")
    if deadline == DeadlineFilter.ACK_OVERDUE:
        reports = reports.filter(acknowledged_at__isnull=True, acknowledgement_due__lt=now)
    elif deadline == DeadlineFilter.ACK_NEAR:
        near = now + due_soon_window()
        reports = reports.filter(
            acknowledged_at__isnull=True,
            acknowledgement_due__gte=now,
            acknowledgement_due__lte=near,
        )
    elif deadline == DeadlineFilter.FEEDBACK_OVERDUE:
        # R4 is met by the final feedback (deadlines.feedback_deadline).
        reports = reports.filter(feedback_given_at__isnull=True, feedback_due__lt=now)
    elif deadline == DeadlineFilter.FEEDBACK_NEAR:
        reports = reports.filter(
            feedback_given_at__isnull=True,
            feedback_due__gte=now,
            feedback_due__lte=now + due_soon_window(),
        )
    # Unacknowledged reports first, the most urgent on top, on SQLite and PostgreSQL alike;
    # the same order as the index report_queue_order_idx (reports.models).
    reports = reports.order_by(
        IS_ACKNOWLEDGED, "acknowledged_at", "acknowledgement_due", "-received_at"
    )
    query = (filters.get("q") or "").strip()
    if not query:
        return QueueResult(reports)
    result = _search(user, reports, query)
    # Free-text search decrypts contents, so it is a read like any other (SECURITY.md "Audit").
    record(
        Actor.of(user),
        "reports.searched",
        "queue",
        "",
        {
            "matches": result.reports.count(),
            "truncated": result.search_truncated,
            "unreadable": result.unreadable,
        },
    )
    return result


def _search(user, reports: QuerySet[Report], query: str) -> QueueResult:
    """Reports whose reference or decrypted text holds the query. Contents are decrypted only
    of reports whose access seal holds, checked per chunk in one query (ADR 0012); a report whose
    ciphertext is damaged is skipped and flagged (ADR 0014)."""
    by_reference = reports.filter(reference__icontains=query)
    if by_reference.exists():
        return QueueResult(by_reference)
    needle = query.casefold()
    matches, truncated = [], False
    damaged: list[DecryptionError] = []
    candidates = reports.select_related(None).only(
        "pk", "organisation", "wrapped_key", "kek_version", "sealed_content"
    )
    chunk: list[Report] = []
    for index, report in enumerate(candidates.iterator(chunk_size=SEARCH_CHUNK)):
        if index >= SEARCH_DECRYPT_LIMIT:
            truncated = True
            break
        chunk.append(report)
        if len(chunk) == SEARCH_CHUNK:
            matches += _matching(user, chunk, needle, damaged)
            chunk = []
    matches += _matching(user, chunk, needle, damaged)
    for failure in damaged:  # flagged once the rows are read
        flag(failure)
    return QueueResult(reports.filter(pk__in=matches), truncated, len(damaged))


def _matching(user, chunk: list[Report], needle: str, damaged: list[DecryptionError]) -> list:
    found = []
    for report in shown_to(user, chunk):
        try:
            content = open_content(report)
        except DecryptionError as error:
            damaged.append(error)
            continue
        haystack = " ".join(
            [
                content.description,
                content.occurred_where,
                content.involved_text,
                content.raised_with,
            ]
        ).casefold()
        if needle in haystack:
            found.append(report.pk)
    return found


class UnreadableContent(Content):
    """What a page shows in place of contents that could not be read: the note, and nobody
    named (`readable` False: who is named is unknown, so no assignment may be offered)."""

    readable = False


# Display reads: a damaged record shows a note and is flagged instead of failing the page.
# A page that needs the contents or the identity in several places reads them once and passes
# them along (the case page: `PanelInput.read(content_of)`), so a damaged record is flagged
# once and no strict read of it fails the whole page.
_shown_body = for_display(open_message_body, unreadable_note)
_shown_name = for_display(open_attachment_name, unreadable_note)
content_of = for_display(open_content, lambda: UnreadableContent(description=unreadable_note()))
identity_of = for_display(open_identity, lambda: Identity(name=unreadable_note()))


@dataclass
class TimelineMessage:
    sender: str
    sender_label: str
    kind_label: str
    created_at: datetime
    body: str
    attachments: list[tuple[Attachment, str]]
    author: str


def messages_of(report: Report, *, for_staff: bool) -> list[TimelineMessage]:
    sealer = sealer_for(report)
    result = []
    for message in report.messages.select_related("author").prefetch_related("attachments"):
        result.append(
            TimelineMessage(
                sender=message.sender,
                sender_label=message.get_sender_display(),
                kind_label=message.get_kind_display(),
                created_at=message.created_at,
                body=_shown_body(message, sealer),
                attachments=[(a, _shown_name(a, sealer)) for a in message.attachments.all()],
                author=str(message.author) if (for_staff and message.author) else "",
            )
        )
    return result


def report_attachments(
    report: Report, *, without_message: bool = True, sealer: Sealer | None = None
) -> list[tuple[Attachment, str]]:
    sealer = sealer or sealer_for(report)
    attachments = report.attachments.all()
    if without_message:
        attachments = attachments.filter(message__isnull=True)
    return [(a, _shown_name(a, sealer)) for a in attachments]


def deadlines_of(report: Report, now: datetime | None = None) -> list[Deadline]:
    """R3 and R4 with the moments they were met, for the case page and the reporter's mailbox."""
    return legal_deadlines(report, now or timezone.now())


def exclusion_key_fits(ring) -> bool:
    """For the key check (crypto.keycheck, ADR 0011), on an installation without fingerprints:
    do the newest exclusions' tags belong to existing accounts under the document's exclusion
    key? Under another key no tag does, and exclusions would silently stop working."""
    tags = set(
        ReportExclusion.objects.order_by("-created_at").values_list("person_tag", flat=True)[:20]
    )
    people = User.objects.order_by().values_list("pk", flat=True).iterator()
    return any(person_tag(pk, ring=ring) in tags for pk in people)
