"""A table of counts as it leaves an organisation: labelled rows over `suppression.suppress`, so
the page, the chart, the CSV, the XLSX and the PDF show the same suppressed cells (ADR 0016)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .suppression import Cell, Grid, suppress


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: Cell | None = None
    key: str = ""

    def all_cells(self) -> list[Cell]:
        return self.cells + ([self.total] if self.total is not None else [])


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[Row]
    threshold: int
    totals: Row | None = None  # the column totals (additive tables only)
    row_totals: bool = True

    def header(self) -> list[str]:
        return self.columns + ([_("Total")] if self.row_totals else [])

    def all_rows(self) -> list[Row]:
        return self.rows + ([self.totals] if self.totals else [])

    def row(self, key: str) -> Row:
        return next(r for r in self.all_rows() if r.key == key)

    def display_rows(self) -> list[tuple[str, list[str]]]:
        """Each row's label and its cells as the reader sees them ("12", "<5", "*")."""
        return [
            (row.label, [c.display(self.threshold) for c in row.all_cells()])
            for row in self.all_rows()
        ]

    def export_rows(self) -> list[list[str | int]]:
        """Caption and header, then one line per row: shown counts as numbers, suppressed ones
        as their marker ("<5", "*")."""
        lines: list[list[str | int]] = [[self.caption, *self.header()]]
        for row in self.all_rows():
            lines.append([row.label, *(exported(c, self.threshold) for c in row.all_cells())])
        return lines


def exported(cell: Cell, threshold: int) -> str | int:
    return cell.value if cell.shown else cell.display(threshold)


def build_table(
    key: str,
    caption: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, str, Sequence[int]]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int | None = None,
) -> Table:
    """A table of counts, `rows` as (key, label, one count per column), suppressed."""
    grid = suppress(
        [values for _key, _label, values in rows],
        row_totals=row_totals,
        column_totals=column_totals,
        threshold=threshold,
    )
    return table_of(grid, key, caption, columns, rows)


def table_of(
    grid: Grid,
    key: str,
    caption: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, str, Sequence[int]]],
) -> Table:
    """The labelled table of `grid`, the counts of `rows` already suppressed (by `suppress`, or
    with other tables by `suppression.suppress_together`)."""
    width = len(columns)

    def labelled(key: str, label: str, cells: list[Cell]) -> Row:
        return Row(label, cells[:width], cells[width] if grid.row_totals else None, key)

    body = [
        labelled(row_key, label, cells)
        for (row_key, label, _values), cells in zip(rows, grid.cells, strict=False)
    ]
    totals = labelled("total", _("Total"), grid.cells[-1]) if grid.column_totals and rows else None
    return Table(key, caption, list(columns), body, grid.threshold, totals, grid.row_totals)
