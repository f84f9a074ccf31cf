"""The meldpunt's work queue (issue 10 "Work queue"): which cases, in which order, who handles
them, and the rows of its export. Reads only.

Every query starts from the access rule: the caller passes `reports_visible_to(user)` (resolved
once per request) and the reports' own filters and text search are `reports.selectors.queue`.
Rows pass `shown_to` (their access seals, ADR 0012) before they are shown or exported, so an
export is never more than the queue shows the same person.

The export holds the queue's columns only: reference, organisation, kind, phase, dates and the
handler's name. Never contents, never the reporter's or anyone else's identity.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.access.rules import shown_to
from integriteit.access.seals import case_assignment_intact
from integriteit.accounts.models import User
from integriteit.reports.constants import Kind, Phase
from integriteit.reports.models import Report
from integriteit.reports.selectors import QueueResult
from integriteit.reports.selectors import queue as reports_queue

from .access import intact_assignments
from .constants import CaseRole
from .models import CaseAssignment

# The status filter (the queue's "phase" field): open cases unless the user asks otherwise.
OPEN = ""
ALL = "all"
AWAITING_DECISION = "awaiting_decision"
DECISION_PHASES = (Phase.FOLLOW_UP_DECISION, Phase.DECISION)
STATUS_CHOICES = [
    (OPEN, gettext_lazy("Open cases")),
    (ALL, gettext_lazy("All cases, closed ones too")),
    (AWAITING_DECISION, gettext_lazy("Awaiting a decision")),
    *Phase.choices,
]

# The assignee filter: the handler of the case, or the cases the user herself is assigned to.
MINE = "mine"
UNASSIGNED = "unassigned"

# The order of the phases in the process, for sorting by phase (not alphabetically).
PHASE_RANK = Case(
    *(When(phase=value, then=Value(rank)) for rank, value in enumerate(Phase.values)),
    output_field=IntegerField(),
)

# Sortable columns: the URL's `sort` value (with "-" for descending) to the ORM order. Nothing
# else is ever passed to order_by; the primary key last keeps pages stable when values tie.
SORT_KEYS: dict[str, tuple] = {
    "reference": ("reference",),
    "organisation": ("organisation__abbreviation", "organisation__name"),
    "phase": (PHASE_RANK,),
    "received": ("received_at",),
    "acknowledge_by": ("acknowledgement_due",),
    "feedback_by": ("feedback_due",),
}

# Rows per export at most; past this the export stops, and the audit entry says so.
EXPORT_LIMIT = 5000
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key


def parse_sort(value: str | None) -> Sort | None:
    """The sort the URL asks for if it is one of SORT_KEYS, else None (the default order)."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.removeprefix("-")
    return Sort(key, descending) if key in SORT_KEYS else None


def _ordering(sort: Sort) -> list:
    fields = []
    for field in SORT_KEYS[sort.key]:
        if isinstance(field, str):
            fields.append(f"-{field}" if sort.descending else field)
        else:
            fields.append(field.desc() if sort.descending else field.asc())
    return [*fields, "-pk" if sort.descending else "pk"]


def _active_handler(**match) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(
        report=OuterRef("pk"), role=CaseRole.HANDLER, ended_at__isnull=True, **match
    )


def _by_status(reports: QuerySet[Report], status: str) -> QuerySet[Report]:
    if status == ALL:
        return reports
    if status == AWAITING_DECISION:
        return reports.filter(phase__in=DECISION_PHASES)
    if status in Phase.values:
        return reports.filter(phase=status)
    return reports.exclude(phase=Phase.CLOSED)


def _by_assignee(user, reports: QuerySet[Report], assignee: str) -> QuerySet[Report]:
    if assignee == MINE:  # any active assignment of hers whose seal holds (ADR 0012)
        return reports.filter(pk__in=sorted(intact_assignments(user)))
    if assignee == UNASSIGNED:
        return reports.filter(~Exists(_active_handler()))
    if assignee.isdigit():
        return reports.filter(Exists(_active_handler(user_id=int(assignee))))
    return reports


def work_queue(user, filters: dict, visible: QuerySet[Report], sort: Sort | None) -> QueueResult:
    """The cases of the queue for these filters (CaseQueueFilterForm's cleaned data), in the
    default order of reports.selectors.queue (the most urgent first) or by `sort`."""
    narrowed = _by_status(visible, filters.get("phase") or OPEN)
    narrowed = _by_assignee(user, narrowed, filters.get("assignee") or "")
    result = reports_queue(user, {**filters, "phase": ""}, narrowed)
    if sort is not None:
        result.reports = result.reports.order_by(*_ordering(sort))
    return result


def assignee_choices(visible: QuerySet[Report]) -> list[tuple[str, str]]:
    """The handlers of the cases the user sees, to filter on one of them."""
    handlers = (
        User.objects.filter(
            case_assignments__role=CaseRole.HANDLER,
            case_assignments__ended_at__isnull=True,
            case_assignments__report__in=visible.order_by().values("pk"),
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    return [(str(handler.pk), str(handler)) for handler in handlers]


def handlers_of(reports: list[Report]) -> dict:
    """The names of each report's active handlers, from assignments whose seal holds."""
    names: dict = {}
    rows = (
        CaseAssignment.objects.filter(
            report__in=[report.pk for report in reports],
            role=CaseRole.HANDLER,
            ended_at__isnull=True,
        )
        .select_related("user")
        .order_by("assigned_at", "pk")
    )
    for row in rows:
        if case_assignment_intact(row.seal, row.report_id, row.user_id, row.role, ended=False):
            names.setdefault(row.report_id, []).append(str(row.user))
    return names


def with_handlers(reports: list[Report]) -> list[Report]:
    """The reports with `handlers` (a list of names) set, for the queue's assignee column."""
    names = handlers_of(reports)
    for report in reports:
        report.handlers = names.get(report.pk, [])  # type: ignore[attr-defined]
    return reports


# --- Export ----------------------------------------------------------------------------------


def export_header() -> list[str]:
    return [
        _("Reference"),
        _("Organisation"),
        _("Kind"),
        _("Phase"),
        _("Received"),
        _("Acknowledge by"),
        _("Acknowledged"),
        _("Feedback by"),
        _("Handler"),
    ]


def _date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _kind(report: Report) -> str:
    return str(Kind(report.classified_kind or report.kind).label) if report.kind else ""


@dataclass
class Export:
    rows: list[list]
    count: int
    truncated: bool


def _shown_chunks(user, reports: QuerySet[Report]) -> Iterator[list[Report]]:
    chunk: list[Report] = []
    for report in reports.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(report)
        if len(chunk) == EXPORT_CHUNK:
            yield shown_to(user, chunk)
            chunk = []
    yield shown_to(user, chunk)


def export(user, reports: QuerySet[Report]) -> Export:
    """The queue's rows as a table (header first): what the queue shows, no more."""
    rows: list[list] = [export_header()]
    truncated = False
    for chunk in _shown_chunks(user, reports[: EXPORT_LIMIT + 1]):
        for report in with_handlers(chunk):
            if len(rows) > EXPORT_LIMIT:
                truncated = True
                break
            rows.append(
                [
                    report.reference,
                    report.organisation.abbreviation or report.organisation.name,
                    _kind(report),
                    str(Phase(report.phase).label),
                    _date(report.received_at),
                    _date(report.acknowledgement_due),
                    _date(report.acknowledged_at),
                    _date(report.feedback_due),
                    ", ".join(report.handlers),  # type: ignore[attr-defined]
                ]
            )
    return Export(rows, len(rows) - 1, truncated)


def filters_for_audit(filters: dict) -> dict:
    """The filters as the audit trail records them: values, never the search text (it may hold
    words from a report)."""
    recorded: dict[str, object] = {}
    for name, value in filters.items():
        if name == "q":
            recorded["search"] = bool(value)
        elif name == "units":
            recorded[name] = [getattr(unit, "pk", unit) for unit in value or []]
        elif value not in ("", None, []):
            recorded[name] = str(getattr(value, "pk", value))
    return recorded
