"""Server-rendered heat maps (ADR 0016, next to the bar charts of `charts`): a grid of rows
(e.g. likelihood, highest on top) and columns (e.g. impact), each cell filled with its band's
light colour and holding its count in text, so it reads without colour; the same figures stand
in a data table beside it (`figures/heat_map.html`). No JavaScript, no style attribute."""

from __future__ import annotations

from dataclasses import dataclass, field

CELL = 64
LEFT = 150  # room for the row labels
TOP = 8
BOTTOM = 60  # room for the column labels and the axis title


@dataclass
class HeatCell:
    row: int
    column: int
    count: int
    band: str  # the cell's band (a risk level), in words
    fill: str  # a light colour; the text on it is black
    x: int = 0
    y: int = 0

    @property
    def text_x(self) -> int:
        return self.x + CELL // 2

    @property
    def text_y(self) -> int:
        return self.y + CELL // 2 + 6


@dataclass
class Axis:
    value: int
    label: str
    position: int = 0  # the x of a column's centre, the y of a row's centre


@dataclass
class HeatMap:
    key: str  # unique on the page: the element ids derive from it
    title: str
    row_title: str
    column_title: str
    rows: list[Axis]  # top to bottom
    columns: list[Axis]  # left to right
    cells: list[HeatCell] = field(default_factory=list)
    width: int = 0
    height: int = 0
    cell_size: int = CELL

    @property
    def description(self) -> str:
        return "; ".join(
            f"{self.row_title} {cell.row}, {self.column_title} {cell.column}: {cell.count}"
            for cell in self.cells
            if cell.count
        )

    def table(self) -> list[tuple[Axis, list[HeatCell]]]:
        """The data table: one line per row, its cells in column order."""
        by_key = {(cell.row, cell.column): cell for cell in self.cells}
        return [
            (row, [by_key[(row.value, column.value)] for column in self.columns])
            for row in self.rows
        ]

    @property
    def axis_title_x(self) -> int:
        return LEFT + len(self.columns) * CELL // 2

    @property
    def axis_title_y(self) -> int:
        return self.height - 8

    @property
    def column_label_y(self) -> int:
        return TOP + len(self.rows) * CELL + 20


def heat_map(
    key: str,
    title: str,
    row_title: str,
    column_title: str,
    rows: list[tuple[int, str]],
    columns: list[tuple[int, str]],
    counts: dict[tuple[int, int], int],
    bands: dict[tuple[int, int], tuple[str, str]],
) -> HeatMap:
    """`rows` and `columns` as (value, label) from low to high; the rows are drawn highest on
    top. `counts` and `bands` ((name, fill)) by (row value, column value)."""
    top_down = [Axis(value, label) for value, label in reversed(rows)]
    across = [Axis(value, label) for value, label in columns]
    cells = []
    for r, row in enumerate(top_down):
        row.position = TOP + r * CELL + CELL // 2 + 5
        for c, column in enumerate(across):
            column.position = LEFT + c * CELL + CELL // 2
            band, fill = bands.get((row.value, column.value), ("", "#ffffff"))
            cells.append(
                HeatCell(
                    row.value,
                    column.value,
                    counts.get((row.value, column.value), 0),
                    band,
                    fill,
                    x=LEFT + c * CELL,
                    y=TOP + r * CELL,
                )
            )
    return HeatMap(
        key,
        title,
        row_title,
        column_title,
        top_down,
        across,
        cells,
        width=LEFT + len(across) * CELL + 8,
        height=TOP + len(top_down) * CELL + BOTTOM,
    )
