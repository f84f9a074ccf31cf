"""The tables of the annual figures (issue 11 §4–6), built from cells (a return's or a
publication's) through `figures.tables.build_table`, so that the page, the charts, the CSV, the
XLSX and the PDF show the same suppressed cells.

Government-wide: the organisations under BZK's coordination and their total (sector Rijk
without Defensie); the organisations outside it (Defensie) in their own table, never in that
total (seed 001 note 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from integriteit.figures.charts import Bar, BarChart, bar_chart, column_chart, row_chart
from integriteit.figures.suppression import group_shown, min_cell
from integriteit.figures.tables import Table, build_table
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


def funnel_values(c: cells.Cells) -> list[int]:
    return [
        c["reports"]["total"],
        c["investigations"],
        c["established"]["total"],
        sum(n for code, n in c["measures"].items() if code != "none"),
        c["criminal_complaints"],
    ]


@dataclass
class Rate:
    label: str
    fte: str
    display: str


@dataclass
class Figures:
    year: int
    threshold: int
    tables: list[Table] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    completeness: list[tuple[str, str]] = field(default_factory=list)  # (organisation, status)
    year_on_year: list[tuple[str, str]] = field(default_factory=list)  # (type, change)
    # Exact (inside the organisation, own_figures): nothing suppressed, `threshold` is 1.
    exact: bool = False
    handling: list[tuple[str, str]] = field(default_factory=list)  # (figure, value)

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
    organisation (id as text) and/or one violation type when given."""
    threshold = min_cell() if threshold is None else threshold
    inside = dict(publication_cells["organisations"])
    outside = dict(publication_cells["outside"])
    if organisation:
        inside = {k: v for k, v in inside.items() if k == organisation}
        outside = {k: v for k, v in outside.items() if k == organisation}
    names = _names(list(inside) + list(outside))
    data = Figures(year, threshold, completeness=completeness or [])

    def order(group):
        return sorted(group, key=lambda pk: names.get(pk, pk))

    columns = [(names[pk], inside[pk]) for pk in order(inside)]
    data.tables.append(
        funnel_table(
            "funnel",
            _(
                "Reports and what followed, per organisation, %(year)s (sector Rijk without "
                "Defensie)"
            )
            % {"year": year},
            [(pk, names[pk], inside[pk]) for pk in order(inside)],
            threshold,
        )
    )
    codes = sorted({code for c in inside.values() for code in c["reports"]["by_type"]})
    if type_code:
        codes = [c for c in codes if c == type_code]
    labels = _type_labels(codes, year)
    data.tables.append(
        per_code_table(
            "types",
            _("Reports by violation type, %(year)s (sector Rijk without Defensie)")
            % {"year": year},
            columns,
            ("reports", "by_type"),
            codes,
            labels,
            threshold,
            column_totals=False,
        )
    )
    data.tables.append(
        per_code_table(
            "established",
            _("Established violations by type, %(year)s (sector Rijk without Defensie)")
            % {"year": year},
            columns,
            ("established", "by_type"),
            codes,
            labels,
            threshold,
            column_totals=False,
        )
    )
    data.tables.append(
        per_code_table(
            "kinds",
            _("Reports by kind, %(year)s (sector Rijk without Defensie)") % {"year": year},
            columns,
            ("reports", "by_kind"),
            kind_codes(kind),
            kind_labels(),
            threshold,
            column_totals=not kind,
        )
    )
    if outside:
        data.tables.append(
            funnel_table(
                "outside",
                _("Reports and what followed, organisations outside BZK coordination, %(year)s")
                % {"year": year},
                [(pk, names[pk], outside[pk]) for pk in order(outside)],
                threshold,
                column_totals=False,
            )
        )
    funnel = data.table("funnel")
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
    for item in publication_cells.get("breaks", []):
        data.notes.append(f"{names.get(str(item['organisation_id']), '')}: {item['note']}")
    if previous is not None:
        prev_sector, sector = previous["sector"], publication_cells["sector"]
        funnel_totals = funnel.totals

        def type_shown(code: str, change: int) -> bool:
            type_total = data.table("types").row(code).total
            return (
                type_total is not None
                and type_total.shown
                and group_shown(sector["reports"]["by_type"].get(code, 0) - change, threshold)
            )

        add_year_on_year(
            data,
            prev_sector,
            sector,
            codes,
            labels,
            reports_shown=funnel_totals is not None
            and funnel_totals.cells[0].shown
            and group_shown(prev_sector["reports"]["total"], threshold),
            type_shown=type_shown,
        )
    return data


def export_rows(data: Figures) -> list[list[str | int]]:
    rows: list[list[str | int]] = [
        [_("Year"), data.year],
        [_("Exact figures of the organisation, not suppressed: not for outside it")]
        if data.exact
        else [_("Cells under"), data.threshold, _("are suppressed")],
    ]
    for table in data.tables:
        rows.append([])
        rows.extend(table.export_rows())
    if data.handling:
        rows.append([])
        rows.extend([label, value] for label, value in data.handling)
    if data.rates or not data.exact:
        rows.append([])
        rows.append([_("Reports per 1,000 fte"), _("Staff (fte)"), _("Rate")])
        rows.extend([rate.label, rate.fte, rate.display] for rate in data.rates)
    if data.year_on_year:
        rows.append([])
        rows.append([_("Change from the year before"), _("Reports")])
        rows.extend([label, change] for label, change in data.year_on_year)
    return rows


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
