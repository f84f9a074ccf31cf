"""Reading an earlier register's file for the import (docs/registry-import.md): a CSV or XLSX
file becomes headers and rows of text, or is refused before anything is written. A file that is
not a spreadsheet, too large, too long, packed to explode when unpacked, or carrying formulas
never reaches the rows."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_BYTES = getattr(settings, "REGISTRY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "REGISTRY_IMPORT_MAX_ROWS", 50_000)
MAX_COLUMNS = 100
MAX_CELL_CHARS = 1000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # unpacked : packed, per part of an XLSX file
MAX_PARTS = 1000
ZIP_MAGIC = b"PK\x03\x04"
FORMULA_IN_SHEET = re.compile(rb"<(?:\w+:)?f[\s>/]")
FORMULA_START = ("=", "+", "@")


class ImportRefused(Exception):
    """The file or the request cannot be imported; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """The headers and the data rows of a CSV or XLSX file, every cell as text; ImportRefused
    for anything that is not a sound spreadsheet within the limits."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(max)s.") % {"max": filesizeformat(MAX_BYTES)}
        )
    if not content.strip():
        raise ImportRefused(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        if not content.startswith(ZIP_MAGIC):
            raise ImportRefused(_("The file is not an Excel workbook (XLSX)."))
        table = _read_xlsx(content)
    elif extension in ("csv", "txt"):
        if content.startswith(ZIP_MAGIC) or b"\x00" in content:
            raise ImportRefused(_("The file is not a CSV text file."))
        table = _read_csv(content)
    else:
        raise ImportRefused(_("Only CSV (.csv) and Excel (.xlsx) files can be imported."))
    return _headers_and_rows(table)


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            _(
                "The file is not in UTF-8. Save it as “CSV UTF-8” (in Excel: Save as, CSV "
                "UTF-8) and try again."
            )
        ) from error
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportRefused(
            _("The CSV file could not be read: %(error)s") % {"error": error}
        ) from error
    return rows


def _check_workbook_archive(content: bytes) -> None:
    """Before openpyxl sees it: a zip archive of a workbook, not too many parts, nothing that
    inflates beyond the limits (counted while inflating, the declared sizes are not trusted), no
    XML entities and no formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused(_("The file is not an Excel workbook (XLSX).")) from error
    if len(members) > MAX_PARTS:
        raise ImportRefused(_("The workbook is too large once unpacked."))
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise ImportRefused(_("The file is not an Excel workbook (XLSX)."))
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportRefused(_("Password-protected workbooks cannot be imported."))
        limit = MAX_RATIO * max(member.compress_size, 1024)
        size, tail = 0, b""
        is_sheet = member.filename.startswith("xl/worksheets/")
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(64 * 1024):
                    size += len(chunk)
                    total += len(chunk)
                    if size > limit or total > MAX_UNPACKED_BYTES:
                        raise ImportRefused(_("The workbook is too large once unpacked."))
                    window = tail + chunk
                    if b"<!ENTITY" in window or b"<!DOCTYPE" in window:
                        raise ImportRefused(_("The workbook holds XML it should not."))
                    if is_sheet and FORMULA_IN_SHEET.search(window):
                        raise ImportRefused(
                            _(
                                "The workbook holds formulas. Save a copy with values only "
                                "(paste as values) and import that."
                            )
                        )
                    tail = chunk[-16:]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise ImportRefused(_("The file is not an Excel workbook (XLSX).")) from error


def _read_xlsx(content: bytes) -> list[list[str]]:
    _check_workbook_archive(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append([_cell_text(value) for value in values[: MAX_COLUMNS + 1]])
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            workbook.close()
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(_("The workbook could not be read.")) from error
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _headers_and_rows(table: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    def blank(row):
        return not any(cell.strip() for cell in row)

    while table and blank(table[-1]):
        table.pop()
    if not table:
        raise ImportRefused(_("The file is empty."))
    headers = [cell.strip() for cell in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ImportRefused(_("The file has more than %(max)d columns.") % {"max": MAX_COLUMNS})
    headers = [h or _("column %(number)d") % {"number": i + 1} for i, h in enumerate(headers)]
    rows = [row[: len(headers)] for row in table[1:]]
    if not any(not blank(row) for row in rows):
        raise ImportRefused(_("The file has headers but no rows."))
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    for number, row in enumerate(rows, start=2):
        for column, cell in enumerate(row):
            if cell.strip().startswith(FORMULA_START):
                raise ImportRefused(
                    _(
                        "Row %(row)d, column %(column)d holds a formula. Import a file with "
                        "values only."
                    )
                    % {"row": number, "column": column + 1}
                )
        if any(len(cell) > MAX_CELL_CHARS for cell in row):
            raise ImportRefused(
                _("Row %(row)d has a cell longer than %(max)d characters.")
                % {"row": number, "max": MAX_CELL_CHARS}
            )
    return headers, rows
