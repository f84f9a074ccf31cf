"""Server-rendered bar charts (ADR 0016): an SVG drawn from numbers computed here, with a data
table beside it (`figures/bar_chart.html`), so that the figures are readable without sight, without
the picture and in the PDF. No JavaScript, no external resource, no style attribute (the CSP
allows style sheets from the site only): the SVG uses presentation attributes.

A suppressed figure has no bar; its marker ("<5", "*") stands where the bar would be, and in the
table."""

from __future__ import annotations

from dataclasses import dataclass, field

from .suppression import Cell
from .tables import Table

WIDTH = 640
LABEL_HEIGHT = 18  # the label above each bar
BAR_HEIGHT = 18
GAP = 10
VALUE_SPACE = 60  # room right of the longest bar for its value


@dataclass
class Bar:
    label: str
    value: float | None  # None: suppressed, no bar
    display: str  # what the reader sees: "12", "3.4", "<5"
    # Filled in by `bar_chart`:
    label_y: int = 0
    bar_y: int = 0
    length: int = 0

    @property
    def value_x(self) -> int:
        return self.length + 6

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 4


@dataclass
class BarChart:
    key: str  # unique on the page: the element ids derive from it
    title: str
    value_label: str  # the table's column header for the values
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label}: {bar.display}" for bar in self.bars)


def bar_chart(key: str, title: str, value_label: str, bars: list[Bar]) -> BarChart:
    """A horizontal bar chart, one bar per item, scaled to the largest value."""
    largest = max((bar.value for bar in bars if bar.value is not None), default=0) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    for index, bar in enumerate(bars):
        bar.label_y = index * step + LABEL_HEIGHT - 4
        bar.bar_y = index * step + LABEL_HEIGHT
        if bar.value is not None:
            bar.length = round((WIDTH - VALUE_SPACE) * bar.value / largest)
    return BarChart(key, title, value_label, bars, height=max(len(bars) * step, step))


def _bar(label: str, cell: Cell, threshold: int) -> Bar:
    return Bar(label, None if cell.suppressed else cell.value, cell.display(threshold))


def column_chart(table: Table, column: int, title: str) -> BarChart:
    """One bar per row of `table` for one of its columns (e.g. every theme in one year)."""
    bars = [_bar(row.label, row.cells[column], table.threshold) for row in table.rows]
    return bar_chart(f"{table.key}-{column}", title, table.columns[column], bars)


def row_chart(table: Table, row_key: str, title: str) -> BarChart:
    """One bar per column of one row of `table` (e.g. a figure over the years)."""
    row = table.row(row_key)
    bars = [
        _bar(column, cell, table.threshold)
        for column, cell in zip(table.columns, row.cells, strict=True)
    ]
    return bar_chart(f"{table.key}-{row_key}", title, row.label, bars)
