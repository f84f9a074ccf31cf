"""The export layer (ADR 0016): formula injection made inert in CSV and XLSX, numbers kept,
the PDF is a PDF that fetches nothing, downloads are attachments nobody caches."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from integriteit.figures import exports

INJECTIONS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
ROWS = [["label", 12, 3.5, None], *[[text, 1, 0.5, "ok"] for text in INJECTIONS]]


@pytest.mark.parametrize("text", INJECTIONS, ids=[repr(t) for t in INJECTIONS])
def test_formula_text_is_neutralised(text):
    assert exports.neutralised(text) == "'" + text


@pytest.mark.parametrize("value", ["Financial", "<5", "*", "a=b", 12, -3, 0.5, None])
def test_other_values_are_unchanged(value):
    assert exports.neutralised(value) == value


def test_csv_cells_cannot_start_a_formula():
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(ROWS).decode("utf-8"), newline="")))
    assert rows[0] == ["label", "12", "3.5", ""]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in INJECTIONS]


def test_xlsx_cells_are_text_or_numbers_never_formulas():
    book = load_workbook(io.BytesIO(exports.xlsx_bytes("Figures: 2025/[all]", ROWS)))
    sheet = book["Figures 2025all"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["'" + t for t in INJECTIONS]
    assert [c.value for c in next(sheet.iter_rows())] == ["label", 12, 3.5, None]


def test_the_pdf_is_a_pdf():
    pdf = exports.render_pdf("<html><body><h1>Jaarverslag</h1><p>12 gesprekken</p></body></html>")
    assert pdf.startswith(b"%PDF")
    assert "12 gesprekken" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_weasyprint_fetches_nothing(monkeypatch):
    from urllib import request

    def no_network(*args, **kwargs):
        raise AssertionError("WeasyPrint opened a URL")

    monkeypatch.setattr(request.OpenerDirector, "open", no_network)
    fetcher = exports.refusing_fetcher()
    with pytest.raises(exports.FetchRefused):
        fetcher("https://example.org/tracker.png")
    html = '<html><body><img src="https://example.org/t.png"><link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    assert exports.render_pdf(html).startswith(b"%PDF")  # rendered without them


@pytest.mark.parametrize(
    ("response", "kind", "name"),
    [
        (lambda: exports.csv_download("jaar-2025", ROWS), "text/csv", "jaar-2025.csv"),
        (
            lambda: exports.xlsx_download("jaar-2025", "Figures", ROWS),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "jaar-2025.xlsx",
        ),
        (lambda: exports.pdf_download("jaar-2025", "<p>x</p>"), "application/pdf", "jaar-2025.pdf"),
    ],
    ids=["csv", "xlsx", "pdf"],
)
def test_downloads_are_attachments_that_no_cache_keeps(response, kind, name):
    made = response()
    assert made["Content-Type"].startswith(kind)
    assert made["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "no-store" in made["Cache-Control"] and "private" in made["Cache-Control"]


def test_a_file_name_cannot_break_the_header():
    made = exports.download(b"x", 'a"b\r\nSet-Cookie: x.csv', "csv")
    assert "\n" not in made["Content-Disposition"] and "\r" not in made["Content-Disposition"]
