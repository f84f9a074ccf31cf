"""The SVG bar chart (ADR 0016): accessible, a data table beside it, everything escaped, no
style attribute or script (CSP), suppressed figures without a bar."""

import re

from django.template.loader import render_to_string

from integriteit.figures.charts import Bar, bar_chart, column_chart, row_chart
from integriteit.figures.tables import build_table

HOSTILE = '<script>alert("x")</script>'


def rendered(chart) -> str:
    return render_to_string("figures/bar_chart.html", {"chart": chart})


def test_the_chart_is_an_accessible_svg_with_a_data_table():
    chart = bar_chart(
        "k", "Reports per year", "Reports", [Bar("2024", 12, "12"), Bar("2025", 6, "6")]
    )
    html = rendered(chart)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-label="Reports per year"' in svg
    assert "<title>Reports per year</title>" in svg
    assert "2024: 12; 2025: 6" in svg  # the description names every figure
    assert svg.count("<rect") == 2
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths[0] == 2 * widths[1]  # scaled to the values
    table = html[html.index("<table") :]
    assert re.search(r'scope="row">2024</th><td[^>]*>12</td>', table)
    assert re.search(r'scope="row">2025</th><td[^>]*>6</td>', table)


def test_labels_and_titles_are_escaped_and_nothing_runs():
    chart = bar_chart(HOSTILE, HOSTILE, HOSTILE, [Bar(HOSTILE, 1, HOSTILE)])
    html = rendered(chart)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert " style=" not in html and "<style" not in html
    assert "href=" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_a_suppressed_figure_has_no_bar_but_its_marker():
    table = build_table(
        "themes", "Themes", ["2025"], [("a", "A", [12]), ("b", "B", [3])], threshold=5
    )
    chart = column_chart(table, 0, "Themes in 2025")
    assert [(bar.value, bar.display) for bar in chart.bars] == [(None, "*"), (None, "<5")]
    html = rendered(chart)
    assert "<rect" not in html
    assert html.count("&lt;5") == 3  # in the description, beside the missing bar, in the table


def test_a_row_chart_has_a_bar_per_column():
    table = build_table(
        "summary", "Summary", ["2024", "2025"], [("entries", "Entries", [10, 20])], threshold=5
    )
    chart = row_chart(table, "entries", "Entries per year")
    assert [(bar.label, bar.value) for bar in chart.bars] == [("2024", 10), ("2025", 20)]
    assert chart.bars[1].length > chart.bars[0].length
