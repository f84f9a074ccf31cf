"""The tables of the annual figures (issue 11 §4–6), built from cells (a return's or a
publication's) through `figures.tables.build_table`, so that the page, the charts, the CSV, the
XLSX and the PDF show the same suppressed cells.

Government-wide: the organisations under BZK's coordination and their total (sector Rijk
without Defensie); the organisations outside it (Defensie) in their own table, never in that
total (seed 001 note 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from integriteit.figures.charts import Bar, BarChart, bar_chart, column_chart, row_chart
from integriteit.figures.suppression import (
    COMPLEMENTARY,
    Cell,
    group_shown,
    min_cell,
    suppress_together,
    with_totals,
)
from integriteit.figures.tables import Row, Table, build_table, table_of
from integriteit.organisations.models import Organisation

from . import cells, taxonomy
from .models import Category, Publication

FUNNEL = ("reports", "investigations", "established", "measures", "criminal_complaints")


def funnel_columns() -> list[str]:
    return [
        _("Reports"),
        _("Investigations"),
        _("Established"),
        _("Measures"),
        _("Criminal complaints"),
    ]


# The measure that says no measure followed is no measure in the funnel or the measures' table.
NO_MEASURE = frozenset({"none"})
MEASURES_COLUMN = 3  # of the funnel


def handling_columns() -> list[str]:
    return [
        _("Open at the reference date"),
        _("Acknowledged within 7 days"),
        _("Fed back within 3 months"),
    ]


def handling_values(c: cells.Cells) -> list[int]:
    return [c["open"], c["acknowledged_in_time"], c["fed_back_in_time"]]


def _timeliness(organisations: list[tuple[str, cells.Cells]], threshold: int) -> list[Timeliness]:
    """Per organisation the median and 90th percentile of the duration, over at least
    `threshold` closed reports, and the shares acknowledged and fed back in time, over at least
    `threshold` reports of which at least `threshold` (or none) were in time: a share is a count
    in disguise, so it is shown only where the count would be."""

    def days(value) -> str:
        return "–" if value is None else f"{value:.0f}"

    def share(part: int, whole: int) -> str:
        if (
            not group_shown(whole, threshold)
            or 0 < part < threshold
            or 0 < whole - part < threshold
        ):
            return f"<{threshold}" if whole else "–"
        return f"{round(100 * part / whole)}%"

    found = []
    for label, c in organisations:
        closed = c["duration"]["closed"]
        enough = group_shown(closed, threshold)
        total = c["reports"]["total"]
        found.append(
            Timeliness(
                label,
                days(c["duration"]["median"]) if enough else f"<{threshold}" if closed else "–",
                days(c["duration"]["p90"]) if enough else f"<{threshold}" if closed else "–",
                share(c["acknowledged_in_time"], total),
                share(c["fed_back_in_time"], total),
            )
        )
    return found


def funnel_values(c: cells.Cells) -> list[int]:
    return [
        c["reports"]["total"],
        c["investigations"],
        c["established"]["total"],
        sum(n for code, n in c["measures"].items() if code not in NO_MEASURE),
        c["criminal_complaints"],
    ]


@dataclass
class Rate:
    label: str
    fte: str
    display: str


@dataclass
class Timeliness:
    """An organisation's duration and timeliness (R3–R4), each shown only where the group it
    is taken over is large enough, or the count it is the share of is shown."""

    label: str
    median: str
    p90: str
    acknowledged: str
    fed_back: str


@dataclass
class Figures:
    year: int
    threshold: int
    tables: list[Table] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    completeness: list[tuple[str, str]] = field(default_factory=list)  # (organisation, status)
    year_on_year: list[tuple[str, str]] = field(default_factory=list)  # (type, change)
    year_on_year_note: str = ""  # why there is no change from the year before
    # Exact (inside the organisation, own_figures): nothing suppressed, `threshold` is 1.
    exact: bool = False
    handling: list[tuple[str, str]] = field(default_factory=list)  # (figure, value)
    timeliness: list[Timeliness] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def charts(self) -> list[BarChart]:
        """One chart per table: the funnel of the sector total (of the one organisation when
        there is one); per type or kind the row totals; for a table without totals, or of one
        column, its first column."""
        charts = []
        for table in self.tables:
            if not table.rows:
                continue
            if len(table.rows) == 1 and len(table.columns) > 1 and not table.row_totals:
                # One organisation's funnel: a bar per column of its row.
                charts.append(row_chart(table, table.rows[0].key, table.caption))
            elif table.totals is not None and not table.row_totals and len(table.columns) > 1:
                charts.append(row_chart(table, "total", table.caption))
            elif table.row_totals:
                bars = [
                    Bar(
                        row.label,
                        None if total.suppressed else total.value,
                        total.display(table.threshold),
                    )
                    for row in table.rows
                    if (total := row.total) is not None
                ]
                charts.append(bar_chart(f"{table.key}-total", table.caption, _("Total"), bars))
            else:
                charts.append(column_chart(table, 0, table.caption))
        return charts

    def pairs(self) -> list[tuple[Table, BarChart | None]]:
        """Each table with its chart beside it."""
        charts = {chart.key.rsplit("-", 1)[0]: chart for chart in self.charts()}
        return [(table, charts.get(table.key)) for table in self.tables]


def _names(ids) -> dict[str, str]:
    return {
        str(o.pk): o.abbreviation or o.name for o in Organisation.objects.filter(pk__in=list(ids))
    }


def _type_labels(codes, year: int, kind: str = taxonomy.VIOLATION_TYPE) -> dict[str, str]:
    """The names of the codes of a list (violation types, measures) in `year`'s version, else
    in any version that has them."""
    version = taxonomy.version_for(kind, year)
    found = {c.code: c for c in Category.objects.filter(taxonomy=version, code__in=list(codes))}
    extra = Category.objects.filter(taxonomy__kind=kind, code__in=list(codes))
    labels = {c.code: c.name for c in extra}
    labels.update({code: c.name for code, c in found.items()})
    return labels


def funnel_table(key: str, caption: str, rows, threshold: int, **totals) -> Table:
    """Reports and what followed: one row per organisation, `rows` as (id, name, cells)."""
    return build_table(
        key,
        caption,
        funnel_columns(),
        [(pk, name, funnel_values(c)) for pk, name, c in rows],
        row_totals=False,
        threshold=threshold,
        **totals,
    )


def per_code_table(
    key: str,
    caption: str,
    columns: list[tuple[str, cells.Cells]],
    path: tuple[str, ...],
    codes: list[str],
    labels: dict[str, str],
    threshold: int,
    **totals,
) -> Table:
    """One row per code (a violation type, a kind, a measure), one column per (label, cells):
    the count under `path` (e.g. ("reports", "by_type"))."""
    return build_table(
        key,
        caption,
        [label for label, _cells in columns],
        [
            (code, labels.get(code, code), [cells._get(c, path).get(code, 0) for _l, c in columns])
            for code in codes
        ],
        threshold=threshold,
        **totals,
    )


def kind_labels() -> dict[str, str]:
    from integriteit.reports.constants import Kind

    return {code: str(label) for code, label in Kind.choices}


def kind_codes(kind: str) -> list[str]:
    from integriteit.reports.constants import Kind

    return [k for k in Kind.values if not kind or k == kind]


def add_year_on_year(
    data: Figures,
    previous: cells.Cells,
    current: cells.Cells,
    codes: list[str],
    labels: dict[str, str],
    *,
    reports_shown: bool,
    type_shown: Callable[[str, int], bool],
) -> None:
    """The change from the year before, in total and per violation type, into `data`: a type
    that does not map onto one type of the previous list is "not comparable" (cells.year_on_year)
    and the change of the list is a note. `reports_shown` and `type_shown(code, change)` say
    whether a change may be shown (outside the organisation: only when neither year's count is
    suppressed)."""
    if previous["versions"]["violation_type"] != current["versions"]["violation_type"]:
        data.notes.append(
            _(
                "The list of violation types changed between %(old)s and %(new)s: types that "
                "do not map onto one type are marked “not comparable”."
            )
            % {"old": data.year - 1, "new": data.year}
        )
    total_change = current["reports"]["total"] - previous["reports"]["total"]
    data.year_on_year.append((_("Reports"), f"{total_change:+d}" if reports_shown else "*"))
    change = cells.year_on_year(previous, current)["reports.by_type"]
    for code in codes:
        value = change.get(code, cells.NOT_COMPARABLE)
        if value == cells.NOT_COMPARABLE:
            data.year_on_year.append((labels.get(code, code), _("not comparable")))
        elif type_shown(code, int(value)):
            data.year_on_year.append((labels.get(code, code), f"{int(value):+d}"))
        else:
            data.year_on_year.append((labels.get(code, code), "*"))


def build(
    publication_cells: dict,
    year: int,
    *,
    organisation: str = "",
    type_code: str = "",
    kind: str = "",
    threshold: int | None = None,
    previous: dict | None = None,
    completeness: list[tuple[str, str]] | None = None,
) -> Figures:
    """The tables of one year's published figures (`Publication.cells`), filtered to one
    organisation (id as text) and/or one violation type and/or one kind when given.

    The tables are always suppressed whole, every organisation, type and kind in them; a filter
    then only picks rows and columns out of them (`_select`). A sub-table suppressed on its own
    would show a cell that the whole table hides to protect another (one organisation's count
    beside a small one): the filtered page and the whole page together would give it away."""
    threshold = min_cell() if threshold is None else threshold
    inside = dict(publication_cells["organisations"])
    outside = dict(publication_cells["outside"])
    names = _names(list(inside) + list(outside))
    data = Figures(year, threshold, completeness=completeness or [])

    def order(group):
        return sorted(group, key=lambda pk: names.get(pk, pk))

    columns = order(inside)
    funnel_rows = [(pk, names[pk], funnel_values(inside[pk])) for pk in columns]
    from integriteit.reports.constants import Kind

    kind_rows = [
        (
            code,
            str(dict(Kind.choices)[code]),
            [inside[pk]["reports"]["by_kind"].get(code, 0) for pk in columns],
        )
        for code in Kind.values
    ]
    # Every measure of the year's list, as every kind: a 0 is a figure too.
    listed = [
        item.code
        for item in taxonomy.items_of(taxonomy.version_for(taxonomy.MEASURE, year))
        if item.code not in NO_MEASURE
    ]
    present = {code for c in inside.values() for code in c["measures"] if code not in NO_MEASURE}
    measure_codes = listed + sorted(present - set(listed))
    measure_labels = _type_labels(measure_codes, year, taxonomy.MEASURE)
    measure_rows = [
        (
            code,
            str(measure_labels.get(code, code)),
            [inside[pk]["measures"].get(code, 0) for pk in columns],
        )
        for code in measure_codes
    ]
    # An organisation's reports are in the funnel and in the totals of the kinds, its measures
    # in the funnel and in the totals of the measures (and the sector's in the grand totals):
    # the three tables are suppressed as one.
    funnel_grid = with_totals(
        [values for _key, _label, values in funnel_rows], row_totals=False, threshold=threshold
    )
    kinds_grid = with_totals([values for _key, _label, values in kind_rows], threshold=threshold)
    measures_grid = with_totals(
        [values for _key, _label, values in measure_rows], threshold=threshold
    )
    pairs = []
    if columns:
        for j in range(len(columns) + 1):
            pairs.append((funnel_grid.cells[j][0], kinds_grid.cells[-1][j]))
            if measure_rows:
                pairs.append((funnel_grid.cells[j][MEASURES_COLUMN], measures_grid.cells[-1][j]))
    same = [(a, b) for a, b in pairs if a.value == b.value]
    suppress_together([funnel_grid, kinds_grid, measures_grid], same)
    tables = [
        table_of(
            funnel_grid,
            "funnel",
            _(
                "Reports and what followed, per organisation, %(year)s (sector Rijk without "
                "Defensie)"
            )
            % {"year": year},
            funnel_columns(),
            funnel_rows,
        )
    ]
    codes = sorted({code for c in inside.values() for code in c["reports"]["by_type"]})
    labels = _type_labels(codes, year)
    tables.append(
        build_table(
            "types",
            _("Reports by violation type, %(year)s (sector Rijk without Defensie)")
            % {"year": year},
            [names[pk] for pk in columns],
            [
                (
                    code,
                    labels.get(code, code),
                    [inside[pk]["reports"]["by_type"].get(code, 0) for pk in columns],
                )
                for code in codes
            ],
            column_totals=False,
            threshold=threshold,
        )
    )
    tables.append(
        build_table(
            "established",
            _("Established violations by type, %(year)s (sector Rijk without Defensie)")
            % {"year": year},
            [names[pk] for pk in columns],
            [
                (
                    code,
                    labels.get(code, code),
                    [inside[pk]["established"]["by_type"].get(code, 0) for pk in columns],
                )
                for code in codes
            ],
            column_totals=False,
            threshold=threshold,
        )
    )
    tables.append(
        table_of(
            kinds_grid,
            "kinds",
            _("Reports by kind, %(year)s (sector Rijk without Defensie)") % {"year": year},
            [names[pk] for pk in columns],
            kind_rows,
        )
    )
    tables.append(
        table_of(
            measures_grid,
            "measures",
            _("Measures by kind (one per person), %(year)s (sector Rijk without Defensie)")
            % {"year": year},
            [names[pk] for pk in columns],
            measure_rows,
        )
    )
    # Not the closed reports beside the open ones: with the reports of the funnel they would
    # give a hidden count away (open + closed = reports).
    tables.append(
        build_table(
            "handling",
            _(
                "Handling at the reference date, per organisation, %(year)s (sector Rijk without "
                "Defensie)"
            )
            % {"year": year},
            handling_columns(),
            [(pk, names[pk], handling_values(inside[pk])) for pk in columns],
            row_totals=False,
            threshold=threshold,
        )
    )
    if outside:
        tables.append(
            build_table(
                "outside",
                _("Reports and what followed, organisations outside BZK coordination, %(year)s")
                % {"year": year},
                funnel_columns(),
                [(pk, names[pk], funnel_values(outside[pk])) for pk in order(outside)],
                row_totals=False,
                column_totals=False,
                threshold=threshold,
            )
        )
    whole = Figures(year, threshold, tables=tables)
    if organisation:
        inside = {k: v for k, v in inside.items() if k == organisation}
        outside = {k: v for k, v in outside.items() if k == organisation}
    rows_of = {"types": type_code, "established": type_code, "kinds": kind, "measures": ""}
    for table in tables:
        if table.key == "outside" and organisation and organisation not in outside:
            continue
        if table.key in ("funnel", "outside", "handling"):
            data.tables.append(_select(table, rows=organisation))
        elif organisation and organisation not in columns:
            data.tables.append(_select(table, rows=None))  # no organisation of the sector
        else:
            data.tables.append(
                _select(
                    table,
                    rows=rows_of[table.key],
                    column=columns.index(organisation) if organisation else None,
                )
            )
    funnel = whole.table("funnel")
    fte = publication_cells.get("fte", {})
    for pk in order(inside) + order(outside):
        source = inside.get(pk) or outside[pk]
        reports = source["reports"]["total"]
        shown = (
            pk in fte
            and group_shown(reports, threshold)
            and (pk not in inside or funnel.row(pk).cells[0].shown)
        )
        rate = (
            f"{Decimal(reports) * 1000 / Decimal(fte[pk]):.1f}"
            if shown
            else (f"<{threshold}" if pk in fte else "–")
        )
        data.rates.append(Rate(names[pk], fte.get(pk, "–"), rate))
    data.timeliness = _timeliness(
        [(names[pk], inside[pk]) for pk in order(inside)]
        + [(names[pk], outside[pk]) for pk in order(outside)],
        threshold,
    )
    for item in publication_cells.get("breaks", []):
        data.notes.append(f"{names.get(str(item['organisation_id']), '')}: {item['note']}")
    if previous is not None:
        _year_on_year(data, publication_cells, previous, organisation, labels)
    return data


def _select(table: Table, *, rows: str | None = "", column: int | None = None) -> Table:
    """Some rows and one column of a table suppressed whole, each cell as it is there: `rows`
    the key of the one row to keep ("" every row, None none), `column` the index of the one
    column (an organisation) to keep. The totals become those of what is kept: with one row,
    the column totals are that row; with one column, the row totals are that column (the same
    cells, so hidden where they are)."""
    if rows == "" and column is None:
        return table
    if rows is None:
        return replace(table, rows=[], totals=None, columns=[])
    kept = [row for row in table.rows if not rows or row.key == rows]
    totals = table.totals
    if column is not None:
        kept = [Row(row.label, [row.cells[column]], row.cells[column], row.key) for row in kept]
        if totals is not None:
            totals = Row(totals.label, [totals.cells[column]], totals.cells[column], totals.key)
    if rows and totals is not None:
        # One row kept: in the funnel its totals are the row itself; the kinds show the row only.
        one = kept[0] if kept and table.key == "funnel" else None
        totals = Row(totals.label, list(one.cells), one.total, totals.key) if one else None
    columns = table.columns if column is None else [table.columns[column]]
    return replace(table, rows=kept, totals=totals if kept else None, columns=columns)


def _row_cell(data: Figures, keys: tuple[str, ...], row_key: str, column: int) -> Cell | None:
    """The cell in `column` of the row `row_key` of the first of these tables that has it."""
    for table in data.tables:
        if table.key in keys:
            for row in table.all_rows():
                if row.key == row_key:
                    return row.all_cells()[column]
    return None


def _year_on_year(
    data: Figures,
    publication_cells: dict,
    previous: dict,
    organisation: str,
    labels: dict[str, str],
) -> None:
    """The change from the year before, of the same selection: the sector, or the organisation
    filtered on in both years. A change is shown only where both figures it is the difference
    of are shown, each in its own year's suppressed tables (the previous year's built with the
    same filter); otherwise "*", as the figure it would give away."""
    year, threshold = data.year, data.threshold
    if organisation:
        now = publication_cells["organisations"].get(organisation) or publication_cells[
            "outside"
        ].get(organisation)
        before = previous["organisations"].get(organisation) or previous["outside"].get(
            organisation
        )
        if now is None:
            return
        if before is None:
            data.year_on_year_note = _(
                "%(organisation)s has no published annual return for %(year)s: there is no "
                "change from the year before."
            ) % {"organisation": _names([organisation]).get(organisation, ""), "year": year - 1}
            return
    else:
        now, before = publication_cells["sector"], previous["sector"]
        missing = set(previous["organisations"]) ^ set(publication_cells["organisations"])
        if missing:
            names = _names(missing)
            data.notes.append(
                _(
                    "The sector's change from the year before compares different "
                    "organisations: %(organisations)s published a return in only one of "
                    "%(old)s and %(new)s."
                )
                % {
                    "organisations": ", ".join(sorted(names.get(pk, pk) for pk in missing)),
                    "old": year - 1,
                    "new": year,
                }
            )
    earlier = build(previous, year - 1, organisation=organisation, threshold=threshold)
    old_version, new_version = (
        before["versions"]["violation_type"],
        now["versions"]["violation_type"],
    )
    if old_version != new_version:
        data.notes.append(
            _(
                "The list of violation types changed between %(old)s and %(new)s: types that "
                "do not map onto one type are marked “not comparable”."
            )
            % {"old": year - 1, "new": year}
        )

    def change(value: int, now_cell: Cell | None, before_cells: list[Cell | None]) -> str:
        shown = now_cell is not None and now_cell.shown
        if shown and all(cell is None or cell.shown for cell in before_cells):
            return f"{value:+d}"
        return "*"

    reports, selected = ("funnel", "outside"), organisation or "total"
    data.year_on_year.append(
        (
            _("Reports"),
            change(
                now["reports"]["total"] - before["reports"]["total"],
                _row_cell(data, reports, selected, 0),
                [_row_cell(earlier, reports, selected, 0) or Cell(0, COMPLEMENTARY)],
            ),
        )
    )
    comparable = (
        None
        if old_version == new_version
        else cells.mapping("violation_type", old_version, new_version) or {}
    )
    for row in data.table("types").rows:
        code = row.key
        label = labels.get(code, code)
        old_codes = [code] if comparable is None else comparable.get(code)
        if old_codes is None:
            data.year_on_year.append((label, _("not comparable")))
            continue
        value = now["reports"]["by_type"].get(code, 0) - sum(
            before["reports"]["by_type"].get(c, 0) for c in old_codes
        )
        # A previous type with no report has no row: its 0 is shown.
        data.year_on_year.append(
            (
                label,
                change(
                    value,
                    row.total,
                    [_row_cell(earlier, ("types",), c, -1) for c in old_codes],
                ),
            )
        )


def export_rows(data: Figures) -> list[list[str | int]]:
    rows: list[list[str | int]] = [
        [_("Year"), data.year],
        [_("Cells under"), data.threshold, _("are suppressed")],
    ]
    for table in data.tables:
        rows.append([])
        rows.extend(table.export_rows())
    if data.timeliness:
        rows.append([])
        rows.append(timeliness_header())
        rows.extend([t.label, t.median, t.p90, t.acknowledged, t.fed_back] for t in data.timeliness)
    rows.append([])
    rows.append([_("Reports per 1,000 fte"), _("Staff (fte)"), _("Rate")])
    rows.extend([rate.label, rate.fte, rate.display] for rate in data.rates)
    if data.year_on_year:
        rows.append([])
        rows.append([_("Change from the year before"), _("Reports")])
        rows.extend([label, change] for label, change in data.year_on_year)
    if data.year_on_year_note:
        rows.append([])
        rows.append([_("Change from the year before"), data.year_on_year_note])
    return rows


def timeliness_header() -> list[str | int]:
    return [
        _("Duration and timeliness per organisation (RULES R3–R4)"),
        _("Median duration (days)"),
        _("Duration, 90th percentile (days)"),
        _("Acknowledged within 7 days"),
        _("Fed back within 3 months"),
    ]


def completeness(year: int) -> list[tuple[str, str]]:
    """Which organisations submitted a return for `year`, and its status."""
    from .models import AnnualReturn

    found = {
        r.organisation_id: r.get_status_display() for r in AnnualReturn.objects.filter(year=year)
    }
    return [
        (o.abbreviation or o.name, found.get(o.pk, _("no return")))
        for o in Organisation.objects.order_by("name")
        if o.pk in found or not o.outside_bzk_coordination
    ]


def of_publication(publication: Publication, **filters) -> Figures:
    previous = Publication.objects.filter(year=publication.year - 1).first()
    return build(
        publication.cells,
        publication.year,
        previous=previous.cells if previous else None,
        completeness=completeness(publication.year),
        **filters,
    )
