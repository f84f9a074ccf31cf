"""The cells of an annual return (issue 11 §3–4): what one organisation's registry says about the
reports it received in a year, counted at a reference date (standdatum).

Every count is a SQL GROUP BY over the entries of the year, grouped by organisation, so the
number of queries is the same for one organisation or all of them and for any number of
entries (`queries()`). The median and 90th percentile of the durations of closed entries are
PostgreSQL's PERCENTILE_CONT in the same GROUP BY; on another database (the tests' SQLite) the
durations are read one by one (two dates each) and interpolated the same way here.

The result is a plain, JSON-able dict (`Cells`), so a submitted return can freeze it.

Definitions (docs/annual-figures.md):
- reports: entries received in the year; `by_type` counts an entry once per violation type,
  `total` once (so the types may add up to more than the total).
- investigations: entries with an investigation.
- established: entries with at least one established violation (`total`), and per type.
- measures: the sum of the counts per measure kind.
- open: entries not closed on the reference date.
- duration: days from receipt to closure of the entries closed by the reference date.
- acknowledged_in_time: acknowledged within 7 days of receipt (RULES R3) by the reference date.
- fed_back_in_time: feedback within 3 months of the acknowledgement, or of the end of the 7-day
  term where none was sent (RULES R4), by the reference date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from integriteit.reports.constants import Kind

from . import taxonomy
from .models import Category, Entry, EntryFinding, EntryMeasure, SeriesBreak, Taxonomy

Cells = dict[str, Any]

# The number of queries `cells_of_many` runs, whatever the data and however many organisations:
# the year's lists, the GROUP BY over the year's entries, the UNION ALL of the GROUP BYs over
# their types, findings and measures (bench/registry.py and the tests check it). Elsewhere than
# PostgreSQL (the tests' SQLite) the durations are one more query (`_sql_percentiles`).
QUERIES = 3


def queries() -> int:
    return QUERIES if _sql_percentiles() else QUERIES + 1


def _sql_percentiles() -> bool:
    """PostgreSQL computes the durations' percentiles (PERCENTILE_CONT) in the GROUP BY;
    elsewhere the durations are read and computed here, with the same interpolation."""
    return connection.vendor == "postgresql"


def _days_to_closure() -> Func:
    return Func(
        F("closed_on"),
        F("received_on"),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


class _PercentileDays(Aggregate):
    """PostgreSQL's PERCENTILE_CONT (linear interpolation, as `percentile`) over the days from
    receipt to closure."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, fraction: float, **extra):
        super().__init__(_days_to_closure(), fraction=float(fraction), **extra)


def default_reference_date(year: int) -> datetime.date:
    """The standdatum when none is given: 31 January of the next year."""
    return datetime.date(year + 1, 1, 31)


def _versions(year: int) -> dict[str, str]:
    found = taxonomy.versions_for([taxonomy.VIOLATION_TYPE, taxonomy.MEASURE], year)
    return {
        "violation_type": found[taxonomy.VIOLATION_TYPE].version,
        "measure": found[taxonomy.MEASURE].version,
    }


def _empty(
    year: int, reference_date: datetime.date, versions: dict[str, str] | None = None
) -> Cells:
    return {
        "year": year,
        "reference_date": reference_date.isoformat(),
        "versions": dict(versions or _versions(year)),
        "reports": {"total": 0, "by_type": {}, "by_kind": {}},
        "investigations": 0,
        "established": {"total": 0, "by_type": {}},
        "measures": {},
        "criminal_complaints": 0,
        "open": 0,
        "persons_involved": 0,
        "duration": {"closed": 0, "median": None, "p90": None},
        "acknowledged_in_time": 0,
        "fed_back_in_time": 0,
    }


def percentile(values: list[int], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's PERCENTILE_CONT)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 1)


def _in_time_feedback(reference_date: datetime.date) -> Q:
    """RULES R4 in SQL: fed back by the reference date, at most 3 calendar months after the
    start (acknowledgement, else receipt + 7 days). With m the months between start and
    feedback: m < 3, or m == 3 and the feedback's day is not after the start's (a start on the
    31st whose third month is shorter ends on that month's last day, which this also holds)."""
    months = settings.FEEDBACK_MONTHS
    return Q(fed_back_on__isnull=False, fed_back_on__lte=reference_date) & (
        Q(feedback_months__lt=months) | Q(feedback_months=months, feedback_day__lte=F("start_day"))
    )


def _entries(organisation_ids: Iterable[int], year: int):
    return Entry.objects.filter(organisation_id__in=list(organisation_ids), received_on__year=year)


def _of_entries(model, organisation_ids: list[int], year: int):
    """The rows of a child table (types, findings, measures) of the year's entries: joined to
    the entries and filtered there, so PostgreSQL reads the year's entries from the
    (organisation, received_on) index and the children by entry, not whole tables."""
    return model.objects.filter(
        entry__organisation_id__in=organisation_ids, entry__received_on__year=year
    )


def _grouped(rows, section: str, code, n):
    """One GROUP BY (organisation, code) of a child table's rows for `cells_of_many`."""
    return (
        rows.annotate(
            section=Value(section, output_field=CharField()),
            org=F("entry__organisation_id"),
            code=ExpressionWrapper(code, output_field=CharField()),
        )
        .values("section", "org", "code")
        .annotate(n=n)
        .order_by()
    )


def cells_of_many(
    organisation_ids: Iterable[int], year: int, reference_date: datetime.date | None = None
) -> dict[int, Cells]:
    """The cells of each organisation (by id) for `year`, in `queries()` queries."""
    ids = list(organisation_ids)
    reference_date = reference_date or default_reference_date(year)
    versions = _versions(year)  # the lists of the year, read once for every organisation
    result = {pk: _empty(year, reference_date, versions) for pk in ids}
    entries = _entries(ids, year)
    by_org = "organisation_id"
    start = Coalesce(
        "acknowledged_on",
        ExpressionWrapper(
            F("received_on") + datetime.timedelta(days=settings.ACKNOWLEDGEMENT_DAYS),
            output_field=DateField(),
        ),
        output_field=DateField(),
    )
    acknowledged_by = ExpressionWrapper(
        F("received_on") + datetime.timedelta(days=settings.ACKNOWLEDGEMENT_DAYS),
        output_field=DateField(),
    )
    closed = Q(closed_on__isnull=False, closed_on__lte=reference_date)
    percentiles = (
        {
            "closed_n": Count("pk", filter=closed),
            "median": _PercentileDays(0.5, filter=closed),
            "p90": _PercentileDays(0.9, filter=closed),
        }
        if _sql_percentiles()
        else {}
    )
    scalars = (
        entries.annotate(
            start_on=start,
            start_day=ExtractDay("start_on"),
            feedback_day=ExtractDay("fed_back_on"),
            feedback_months=(ExtractYear("fed_back_on") - ExtractYear("start_on")) * 12
            + ExtractMonth("fed_back_on")
            - ExtractMonth("start_on"),
        )
        .values(by_org)
        .annotate(
            total=Count("pk"),
            investigations=Count("pk", filter=Q(investigated=True)),
            complaints=Sum("criminal_complaints"),
            persons=Sum("persons_involved"),
            open=Count("pk", filter=~closed),
            acknowledged=Count(
                "pk",
                filter=Q(acknowledged_on__lte=acknowledged_by)
                & Q(acknowledged_on__lte=reference_date),
            ),
            fed_back=Count("pk", filter=_in_time_feedback(reference_date)),
            **{f"kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in Kind.values},
            **percentiles,
        )
        .order_by()
    )
    for row in scalars:
        cells = result[row[by_org]]
        cells["reports"]["total"] = row["total"]
        cells["investigations"] = row["investigations"]
        cells["criminal_complaints"] = row["complaints"] or 0
        cells["persons_involved"] = row["persons"] or 0
        cells["open"] = row["open"]
        cells["acknowledged_in_time"] = row["acknowledged"]
        cells["fed_back_in_time"] = row["fed_back"]
        cells["reports"]["by_kind"] = {
            kind: row[f"kind_{kind}"] for kind in Kind.values if row[f"kind_{kind}"]
        }
        if percentiles and row["closed_n"]:
            cells["duration"] = {
                "closed": row["closed_n"],
                "median": round(row["median"], 1),
                "p90": round(row["p90"], 1),
            }

    # The counts over the child tables (types, findings, measures) in one UNION ALL of GROUP BYs:
    # (section, organisation, code, n).
    findings = _of_entries(EntryFinding, ids, year).filter(established=True)
    distinct_entries = Count("entry_id", distinct=True)
    children = _grouped(
        _of_entries(Entry.violation_types.through, ids, year),
        "type",
        F("category__code"),
        distinct_entries,
    ).union(
        _grouped(findings, "established", Value(""), distinct_entries),
        _grouped(findings, "established_type", F("violation_type__code"), distinct_entries),
        _grouped(_of_entries(EntryMeasure, ids, year), "measure", F("measure__code"), Sum("count")),
        all=True,
    )
    for section, org, code, n in children.values_list("section", "org", "code", "n"):
        cells = result[org]
        if section == "established":
            cells["established"]["total"] = n
            continue
        counts = {
            "type": cells["reports"]["by_type"],
            "established_type": cells["established"]["by_type"],
            "measure": cells["measures"],
        }[section]
        counts[code] = counts.get(code, 0) + (n or 0)

    if percentiles:
        return result
    durations: dict[int, list[int]] = defaultdict(list)
    for org, received, closed_on in entries.filter(closed).values_list(
        by_org, "received_on", "closed_on"
    ):
        durations[org].append((closed_on - received).days)
    for org, days in durations.items():
        result[org]["duration"] = {
            "closed": len(days),
            "median": percentile(days, 0.5),
            "p90": percentile(days, 0.9),
        }
    return result


def cells_of(organisation, year: int, reference_date: datetime.date | None = None) -> Cells:
    return cells_of_many([organisation.pk], year, reference_date)[organisation.pk]


# --- Adding up and comparing -------------------------------------------------------------------

ADDITIVE = (
    ("reports", "total"),
    ("investigations",),
    ("established", "total"),
    ("criminal_complaints",),
    ("open",),
    ("persons_involved",),
    ("acknowledged_in_time",),
    ("fed_back_in_time",),
)
ADDITIVE_MAPS = (("reports", "by_type"), ("reports", "by_kind"), ("established", "by_type"))


def _get(cells: Cells, path: tuple[str, ...]):
    for key in path:
        cells = cells[key]
    return cells


def total(many: Iterable[Cells], year: int, reference_date: datetime.date) -> Cells:
    """The sum of several organisations' cells (a sector total): every count added up; the
    durations cannot be added and stay empty."""
    result = _empty(year, reference_date)
    for cells in many:
        for path in ADDITIVE:
            parent = _get(result, path[:-1])
            parent[path[-1]] += _get(cells, path)
        for path in ADDITIVE_MAPS:
            target = _get(result, path)
            for code, n in _get(cells, path).items():
                target[code] = target.get(code, 0) + n
        for code, n in cells["measures"].items():
            result["measures"][code] = result["measures"].get(code, 0) + n
    return result


def flat(cells: Cells) -> dict[str, int | float | None]:
    """Every count of `cells` under a dotted key ("reports.by_type.financial"), for comparing a
    frozen version with the current cells."""
    out: dict[str, int | float | None] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, int | float) or value is None:
            out[prefix] = value

    walk("", {k: v for k, v in cells.items() if k not in ("year", "reference_date", "versions")})
    return out


def differences(frozen: Cells, current: Cells) -> dict[str, tuple]:
    """The cells whose value differs: {key: (frozen, current)}."""
    before, after = flat(frozen), flat(current)
    keys = sorted(set(before) | set(after))
    return {
        key: (before.get(key, 0), after.get(key, 0))
        for key in keys
        if (before.get(key) or 0) != (after.get(key) or 0)
    }


NOT_COMPARABLE = "not_comparable"


def mapping(kind: str, old_version: str, new_version: str) -> dict[str, list[str]] | None:
    """For each code of `new_version` whose counts compare with `old_version`, the old codes
    that add up to it; None when the versions are not one step apart."""
    new = Taxonomy.objects.get(kind=kind, version=new_version)
    if new.predecessor is None or new.predecessor.version != old_version:
        return None
    comparable = taxonomy.comparable_items(new)
    found: dict[str, list[str]] = {}
    for item in Category.objects.filter(taxonomy=new, code__in=comparable).prefetch_related(
        "predecessors"
    ):
        found[item.code] = [p.code for p in item.predecessors.all() if p.taxonomy_id != new.pk]
    return found


def year_on_year(previous: Cells, current: Cells, kind: str = "violation_type") -> dict:
    """Change per code of `current` against `previous` for the by-type cells: a number, or
    NOT_COMPARABLE where the list changed between the years and the item does not map onto one
    item (taxonomy.comparable_items)."""
    old, new = previous["versions"][kind], current["versions"][kind]
    sections = (
        [("reports", "by_type"), ("established", "by_type")]
        if kind == "violation_type"
        else [("measures",)]
    )
    comparable = None if old == new else mapping(kind, old, new)
    result: dict[str, dict[str, int | str]] = {}
    for path in sections:
        key = ".".join(path)
        now, before = _get(current, path), _get(previous, path)
        codes = set(now) if old != new else set(now) | set(before)
        changes: dict[str, int | str] = {}
        for code in sorted(codes):
            if old == new:
                changes[code] = now.get(code, 0) - before.get(code, 0)
            elif comparable is not None and code in comparable:
                changes[code] = now.get(code, 0) - sum(before.get(c, 0) for c in comparable[code])
            else:
                changes[code] = NOT_COMPARABLE
        result[key] = changes
    return result


def series_breaks(organisation_ids: Iterable[int], year: int) -> list[dict]:
    """The notes on breaks in the series for these organisations in `year`."""
    return [
        {"organisation_id": b.organisation_id, "year": b.year, "note": b.note}
        for b in SeriesBreak.objects.filter(organisation_id__in=list(organisation_ids), year=year)
    ]
