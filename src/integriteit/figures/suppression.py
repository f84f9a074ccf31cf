"""Small-number suppression: the one function every number leaving an organisation goes through
(ADR 0016; SYSTEM.md "small numbers suppressed so no person can be recognised").

`suppress(counts)` takes a table of counts, adds the row and column totals it publishes, and
marks every count 0 < n < `settings.FIGURES_MIN_CELL` as suppressed (primary). Then it hides
more cells (complementary): first in every line (row or column with its sum) that has exactly
one hidden cell, and then, as long as any hidden cell can still be computed from the cells that
are shown by combining several lines, one more cell beside it. Cells that are not suppressed
keep their exact value.

`suppress_together(grids, same)` does this for tables published side by side that hold some of
the same counts (an organisation's reports in two tables), as one table.

`group_shown(size)` is the same rule for a figure computed over a group (an average, a share):
it is shown only for a group of at least the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings

PRIMARY = "primary"  # under the threshold
COMPLEMENTARY = "complementary"  # hidden so that a primary cell cannot be computed


def min_cell() -> int:
    return int(settings.FIGURES_MIN_CELL)


def group_shown(size: int, threshold: int | None = None) -> bool:
    """Whether a figure over a group of `size` members (an average, a share) may be shown."""
    return size >= (min_cell() if threshold is None else threshold)


@dataclass
class Cell:
    value: int
    suppressed: str = ""  # "", PRIMARY or COMPLEMENTARY

    @property
    def shown(self) -> bool:
        return not self.suppressed

    def display(self, threshold: int) -> str:
        if self.suppressed == PRIMARY:
            return f"<{threshold}"
        if self.suppressed == COMPLEMENTARY:
            return "*"
        return str(self.value)


@dataclass
class Grid:
    """The counts with their totals: `cells[i][j]`; with column totals the last row holds them,
    with row totals the last column (and the grand total where both meet)."""

    cells: list[list[Cell]]
    row_totals: bool
    column_totals: bool
    threshold: int
    lines: list[list[Cell]] = field(default_factory=list)  # each: the parts, then their sum

    def all_cells(self) -> Iterator[Cell]:
        for row in self.cells:
            yield from row


def suppress(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int | None = None,
) -> Grid:
    """The table of `counts` with totals, primary and complementary suppression applied."""
    grid = with_totals(
        counts, row_totals=row_totals, column_totals=column_totals, threshold=threshold
    )
    _suppress(grid)
    return grid


def with_totals(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int | None = None,
) -> Grid:
    """The table of `counts` with its totals, nothing suppressed yet (for `suppress_together`)."""
    return _with_totals(
        counts, row_totals, column_totals, min_cell() if threshold is None else threshold
    )


def suppress_together(grids: Sequence[Grid], same: Sequence[tuple[Cell, Cell]] = ()) -> None:
    """Suppress several tables published side by side as one: `same` pairs a cell of one table
    with the cell of another that holds the same count (an organisation's reports in the funnel
    and in the totals of the kinds). The second of each pair is replaced by the first, so the
    pair is one cell, hidden in both tables or in neither, and every line of every table counts
    when a hidden cell is checked for being computable: suppressed one by one, a table could
    hide a count that the other shows, and that count would give away a cell beside it."""
    if not grids:
        return
    if any(first.value != second.value for first, second in same):
        raise ValueError("Only cells holding the same count are the same cell.")
    replaced = {id(second): first for first, second in same}
    for grid in grids:
        for row in grid.cells:
            row[:] = [replaced.get(id(c), c) for c in row]
        for line in grid.lines:
            line[:] = [replaced.get(id(c), c) for c in line]
    unique = {id(c): c for grid in grids for c in grid.all_cells()}
    joint = Grid(
        [list(unique.values())],
        row_totals=False,
        column_totals=False,
        threshold=grids[0].threshold,
        lines=[line for grid in grids for line in grid.lines],
    )
    _suppress(joint)


def _suppress(grid: Grid) -> None:
    for cell in grid.all_cells():
        if 0 < cell.value < grid.threshold:
            cell.suppressed = PRIMARY
    _hide_lone_cells(grid)
    while exposed := computable(grid):
        if not _hide_beside(grid, exposed[0]):
            break
        _hide_lone_cells(grid)


def _hide_lone_cells(grid: Grid) -> None:
    """The quick rule that settles most tables: until nothing changes, in every line with
    exactly one hidden cell (which its sum would reveal), hide the smallest other cell too."""
    changed = True
    while changed:
        changed = False
        for line in grid.lines:
            if sum(1 for c in line if c.suppressed) == 1 and any(c.shown for c in line):
                _hide_smallest(line)
                changed = True


def _with_totals(
    counts: Sequence[Sequence[int]], row_totals: bool, column_totals: bool, threshold: int
) -> Grid:
    matrix = [[Cell(int(v)) for v in row] for row in counts]
    width = len(matrix[0]) if matrix else 0
    if column_totals and matrix:
        matrix.append([Cell(sum(row[j].value for row in matrix)) for j in range(width)])
    if row_totals:
        for row in matrix:
            row.append(Cell(sum(c.value for c in row)))
    grid = Grid(matrix, row_totals, column_totals, threshold)
    if row_totals:
        grid.lines.extend(matrix)
    if column_totals and matrix:
        grid.lines.extend([row[j] for row in matrix] for j in range(len(matrix[0])))
    return grid


def computable(grid: Grid) -> list[Cell]:
    """The suppressed cells whose value follows from the shown cells and the published sums.

    Each line says: parts - sum = 0. With the shown cells moved to the right-hand side, a hidden
    cell is computable exactly when its unit vector lies in the row space of the hidden cells'
    coefficients: after Gauss-Jordan elimination, a row with a single non-zero coefficient."""
    hidden = [c for c in grid.all_cells() if c.suppressed]
    column = {id(c): k for k, c in enumerate(hidden)}
    rows = []
    for line in grid.lines:
        row = [0] * len(hidden)
        for position, cell in enumerate(line):
            if id(cell) in column:
                row[column[id(cell)]] = -1 if position == len(line) - 1 else 1
        if any(row):
            rows.append(row)
    return [hidden[k] for k in _single_unknown_rows(rows, len(hidden))]


def _single_unknown_rows(rows: list[list[int]], width: int) -> list[int]:
    """Gauss-Jordan elimination in integers (each row divided by its gcd, so exact and small);
    the columns of the reduced rows that have exactly one non-zero entry."""
    pivot_row = 0
    for col in range(width):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        top = rows[pivot_row]
        for r, row in enumerate(rows):
            if r != pivot_row and row[col]:
                factor, scale = row[col], top[col]
                combined = [scale * a - factor * b for a, b in zip(row, top, strict=True)]
                divisor = math.gcd(*combined) or 1
                rows[r] = [a // divisor for a in combined]
        pivot_row += 1
    found = []
    for row in rows[:pivot_row]:
        nonzero = [k for k, a in enumerate(row) if a]
        if len(nonzero) == 1:
            found.append(nonzero[0])
    return found


def _hide_beside(grid: Grid, exposed: Cell) -> bool:
    """Hide the smallest shown cell sharing a line with `exposed` (a non-zero one if there is:
    hiding a zero protects little when zeros are common), else the smallest shown cell."""
    beside = [c for line in grid.lines if any(c is exposed for c in line) for c in line]
    return _hide_smallest(beside) or _hide_smallest(list(grid.all_cells()))


def _hide_smallest(cells: list[Cell]) -> bool:
    shown = [c for c in cells if c.shown]
    candidates = [c for c in shown if c.value > 0] or shown
    if not candidates:
        return False
    min(candidates, key=lambda c: c.value).suppressed = COMPLEMENTARY
    return True
