"""One export layer for figures and documents (ADR 0016): CSV, XLSX and PDF, and the download
response for each.

CSV and XLSX are opened in spreadsheet programs, which run a cell starting with = + - @ (or a
tab or carriage return before one) as a formula: such text is prefixed with an apostrophe
(OWASP "CSV injection"). Numbers stay numbers.

The PDF is rendered by WeasyPrint from self-contained HTML, and its URL fetcher refuses every
URL: a document fetches nothing, not even from this site.

A download is an attachment that no cache keeps (`no-store`): figures and documents are about
an organisation's people.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from PIL import ImageFile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

Value = str | int | float | None


def neutralised(value: Value) -> Value:
    """Text a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[Value]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralised(value) for value in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(title: str, rows: Iterable[Sequence[Value]]) -> bytes:
    """One sheet named `title` (at most 31 characters, as Excel allows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for row in rows:
        sheet.append([neutralised(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"


class FetchRefused(ValueError):
    pass


def _weasyprint():
    """WeasyPrint, imported when a PDF is first rendered. Its import sets
    PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process, while attachment
    sanitising must refuse truncated images (reports.attachments): the flag is set back at once.
    The documents have no images, so WeasyPrint's output does not need it."""
    import weasyprint
    import weasyprint.urls

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def refusing_fetcher():
    """WeasyPrint's URL fetcher: a document is self-contained, so every URL is refused (the
    document is rendered without it, and WeasyPrint logs the refusal)."""
    _weasyprint()
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False)

        def fetch(self, url, headers=None):
            raise FetchRefused(f"The document fetches no URLs ({url[:80]}).")

    return RefusingFetcher()


def render_pdf(html: str) -> bytes:
    return _weasyprint().HTML(string=html, url_fetcher=refusing_fetcher()).write_pdf()


def download(content: bytes, file_name: str, kind: str) -> HttpResponse:
    """`content` as an attachment named `file_name`, of `kind` (a key of CONTENT_TYPES)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    patch_cache_control(response, no_store=True, private=True)
    return response


def csv_download(file_name: str, rows: Iterable[Sequence[Value]]) -> HttpResponse:
    return download(csv_bytes(rows), f"{file_name}.csv", "csv")


def xlsx_download(file_name: str, title: str, rows: Iterable[Sequence[Value]]) -> HttpResponse:
    return download(xlsx_bytes(title, rows), f"{file_name}.xlsx", "xlsx")


def pdf_download(file_name: str, html: str) -> HttpResponse:
    return download(render_pdf(html), f"{file_name}.pdf", "pdf")
