"""The heat map (figures.heatmap): highest row on top, every cell with its count and band, and
the same figures in the data table."""

from django.template.loader import render_to_string

from integriteit.figures.heatmap import heat_map


def test_cells_counts_and_table():
    chart = heat_map(
        "before",
        "Risks",
        "Likelihood",
        "Impact",
        [(1, "low"), (2, "high")],
        [(1, "small"), (2, "large"), (3, "huge")],
        {(2, 3): 4, (1, 1): 1},
        {(2, 3): ("Very high", "#f7c4c4")},
    )
    assert [row.value for row in chart.rows] == [2, 1]
    assert len(chart.cells) == 6
    top_right = next(cell for cell in chart.cells if (cell.row, cell.column) == (2, 3))
    assert (top_right.count, top_right.band, top_right.y) == (4, "Very high", 8)
    assert [[cell.count for cell in cells] for _row, cells in chart.table()] == [
        [0, 0, 4],
        [1, 0, 0],
    ]
    html = render_to_string("figures/heat_map.html", {"map": chart})
    assert 'data-cell="2-3" data-count="4"' in html
    assert html.count("<rect") == 6 and "style=" not in html
    assert "Likelihood 2, Impact 3: 4" in html
