"""Importing an earlier register (issue 11 §1; docs/registry-import.md): a CSV or XLSX file is
read into rows (`start`), its columns are mapped onto the entry's fields and every row is
checked without writing anything (`check`, the dry run), and the valid rows are then written in
batches through `entries.apply_values` (`start_import`, `process`), one audit record per job.

The file is never stored. A file that is not a spreadsheet, too large, too long, packed to
explode when unpacked, or carrying formulas is refused before anything is written. The rows'
cells are kept only while the job runs: they are removed when it is done or cancelled (and after
`ABANDONED_AFTER` by `run_imports`).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import dataclasses
import datetime
import functools
import io
import re
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.audit.services import SYSTEM, Actor, record
from integriteit.cases.constants import FollowUpRoute
from integriteit.reports.constants import Kind

from . import taxonomy
from .access import organisations_for_entries
from .constants import EntrySource, ImportRowStatus, ImportStatus
from .entries import EntryValues, apply_values, problems
from .models import Entry, ImportJob, ImportRow

MAX_BYTES = getattr(settings, "REGISTRY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "REGISTRY_IMPORT_MAX_ROWS", 50_000)
MAX_COLUMNS = 100
MAX_CELL_CHARS = 1000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # unpacked : packed, per part of an XLSX file
MAX_PARTS = 1000
BATCH = 500
# How long the request that orders an import keeps importing before leaving the rest to
# `run_imports` (the page shows the progress and refreshes itself).
REQUEST_BUDGET_SECONDS = 5.0
ABANDONED_AFTER = datetime.timedelta(days=7)

# The entry's fields a column can be mapped to, in the order of the mapping form.
FIELDS: list[tuple[str, object]] = [
    ("reference", gettext_lazy("Reference")),
    ("received_on", gettext_lazy("Received on")),
    ("kind", gettext_lazy("Kind of report")),
    ("channel", gettext_lazy("Channel")),
    ("violation_types", gettext_lazy("Violation types")),
    ("follow_up", gettext_lazy("Follow-up")),
    ("investigated", gettext_lazy("Investigated")),
    ("executor", gettext_lazy("Investigated by")),
    ("findings", gettext_lazy("Violation types established")),
    ("measures", gettext_lazy("Measures")),
    ("criminal_complaints", gettext_lazy("Criminal complaints")),
    ("persons_involved", gettext_lazy("Persons involved")),
    ("closed_on", gettext_lazy("Closed on")),
    ("acknowledged_on", gettext_lazy("Acknowledged on")),
    ("fed_back_on", gettext_lazy("Feedback on")),
]
FIELD_NAMES = [name for name, _label in FIELDS]
REQUIRED = ("reference", "received_on")

# Header names (Dutch and English, compared without case, spaces or punctuation) per field.
HEADER_GUESSES = {
    "reference": [
        "kenmerk",
        "referentie",
        "zaaknummer",
        "meldingnummer",
        "nummer",
        "nr",
        "reference",
        "ref",
        "number",
        "id",
        "casenumber",
    ],
    "received_on": [
        "ontvangen",
        "datumontvangst",
        "ontvangstdatum",
        "datummelding",
        "meldingsdatum",
        "datum",
        "received",
        "receivedon",
        "datereceived",
        "date",
    ],
    "kind": ["soort", "soortmelding", "typemelding", "aard", "kind", "kindofreport"],
    "channel": ["kanaal", "meldkanaal", "channel"],
    "violation_types": [
        "schending",
        "schendingen",
        "soortschending",
        "typeschending",
        "categorie",
        "violationtypes",
        "violationtype",
        "types",
    ],
    "follow_up": ["vervolg", "afhandeling", "followup"],
    "investigated": ["onderzoek", "onderzocht", "investigated", "investigation"],
    "executor": ["onderzochtdoor", "uitvoerder", "onderzoeker", "executor", "investigatedby"],
    "findings": [
        "vastgesteld",
        "gegrond",
        "bevindingen",
        "schendingvastgesteld",
        "established",
        "findings",
    ],
    "measures": ["maatregel", "maatregelen", "sanctie", "sancties", "measure", "measures"],
    "criminal_complaints": [
        "aangifte",
        "aangiftes",
        "aangiften",
        "criminalcomplaints",
        "criminalcomplaint",
    ],
    "persons_involved": [
        "betrokkenen",
        "aantalbetrokkenen",
        "personen",
        "personsinvolved",
        "persons",
    ],
    "closed_on": ["afgesloten", "datumafsluiting", "gesloten", "afgehandeld", "closed", "closedon"],
    "acknowledged_on": ["ontvangstbevestiging", "bevestigd", "acknowledged", "acknowledgedon"],
    "fed_back_on": ["teruggekoppeld", "terugkoppeling", "feedback", "fedback", "fedbackon"],
}

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", ""}
KIND_WORDS = {
    "integriteitsschending": Kind.INTEGRITY_VIOLATION,
    "vermoeden van een integriteitsschending": Kind.INTEGRITY_VIOLATION,
    "misstand": Kind.WRONGDOING,
    "ongewenst gedrag": Kind.UNDESIRABLE_BEHAVIOUR,
    "ongewenste omgangsvormen": Kind.UNDESIRABLE_BEHAVIOUR,
    "klacht": Kind.HANDLING_COMPLAINT,
}
ZIP_MAGIC = b"PK\x03\x04"
_names_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("names", default=None)
FORMULA_IN_SHEET = re.compile(rb"<(?:\w+:)?f[\s>/]")
FORMULA_START = ("=", "+", "@")


class ImportRefused(Exception):
    """The file or the request cannot be imported; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Reading the file -----------------------------------------------------------------------


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


def _squashed(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _normal(text))


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """{field: column} from the header names: exact names first, then names containing one."""
    mapping: dict[str, int] = {}
    squashed = [_squashed(h) for h in headers]
    for exact in (True, False):
        for field in FIELD_NAMES:
            if field in mapping:
                continue
            for column, header in enumerate(squashed):
                if column in mapping.values() or not header:
                    continue
                guesses = HEADER_GUESSES[field]
                if (
                    (header in guesses)
                    if exact
                    else any(g in header for g in guesses if len(g) > 4)
                ):
                    mapping[field] = column
                    break
    return mapping


def jobs_visible_to(user):
    """The imports of the organisations whose registry the user keeps."""
    return ImportJob.objects.filter(organisation__in=organisations_for_entries(user))


# The steps --------------------------------------------------------------------------------


def _guard(user, job: ImportJob) -> None:
    if not organisations_for_entries(user).filter(pk=job.organisation_id).exists():
        raise PermissionDenied


@transaction.atomic
def start(user, organisation, file_name: str, content: bytes) -> ImportJob:
    """Read the file into a new job waiting for its mapping (nothing is stored when refused)."""
    if not organisations_for_entries(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    headers, rows = read_table(file_name, content)
    job = ImportJob.objects.create(
        organisation=organisation,
        created_by=user,
        file_name=file_name[:200],
        headers=headers,
        mapping=guess_mapping(headers),
        total_rows=len(rows),
    )
    ImportRow.objects.bulk_create(
        (
            ImportRow(job=job, number=number, cells=cells)
            for number, cells in enumerate(rows, start=2)
        ),
        batch_size=1000,
    )
    return job


def samples(job: ImportJob, count: int = 3) -> list[list[str]]:
    """A few values per column, from the first rows that have one."""
    found: list[list[str]] = [[] for _header in job.headers]
    for cells in job.rows.order_by("number").values_list("cells", flat=True)[:50]:
        for column, cell in enumerate(cells[: len(found)]):
            if cell.strip() and len(found[column]) < count and cell not in found[column]:
                found[column].append(cell.strip()[:60])
    return found


@transaction.atomic
def check(user, job: ImportJob, mapping: dict[str, int], version_year: int | None) -> ImportJob:
    """The dry run: parse and validate every row under `mapping`; nothing but the job's rows
    is written."""
    _guard(user, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (ImportStatus.MAPPING, ImportStatus.CHECKED):
        raise ImportRefused(_("This import can no longer be changed."))
    if missing := [field for field in REQUIRED if field not in mapping]:
        raise ImportRefused(
            _("Map a column to: %(fields)s.")
            % {"fields": ", ".join(str(dict(FIELDS)[f]) for f in missing)}
        )
    job.mapping, job.version_year = mapping, version_year
    rows = list(job.rows.order_by("number"))
    existing = set(
        Entry.objects.filter(organisation=job.organisation).values_list("reference", flat=True)
    )
    with _lists():
        parsed = [_parse(row.cells, mapping, job.organisation_id, version_year) for row in rows]
        counts = Counter(
            values.reference.casefold() for values, _errors in parsed if values is not None
        )
        numbers: dict[str, list[int]] = {}
        for row, (values, _errors) in zip(rows, parsed, strict=True):
            if values is not None:
                numbers.setdefault(values.reference.casefold(), []).append(row.number)
        for row, (values, errors) in zip(rows, parsed, strict=True):
            if values is not None:
                for field, messages in problems(values).items():
                    errors.setdefault(field, []).extend(messages)
                key = values.reference.casefold()
                if counts[key] > 1:
                    errors.setdefault("reference", []).append(
                        _(
                            "The reference %(reference)s occurs more than once in the file (rows %(rows)s)."
                        )
                        % {
                            "reference": values.reference,
                            "rows": ", ".join(str(n) for n in numbers[key]),
                        }
                    )
                if values.reference in existing:
                    errors.setdefault("reference", []).append(
                        _("The registry already has an entry with the reference %(reference)s.")
                        % {"reference": values.reference}
                    )
            row.values = _plain(values) if values is not None and not errors else None
            row.errors = errors
            row.status = ImportRowStatus.INVALID if errors else ImportRowStatus.VALID
    # Written anew rather than updated: far quicker for tens of thousands of rows.
    job.rows.all().delete()
    for row in rows:
        row.pk = None
    ImportRow.objects.bulk_create(rows, batch_size=1000)
    job.total_rows = len(rows)
    job.valid_rows = sum(1 for row in rows if row.status == ImportRowStatus.VALID)
    job.invalid_rows = job.total_rows - job.valid_rows
    job.status = ImportStatus.CHECKED
    job.save()
    return job


@transaction.atomic
def start_import(user, job: ImportJob, *, only_valid: bool) -> ImportJob:
    """Order the import of the checked job's valid rows (all of them, or, with `only_valid`,
    leaving the rows with errors out)."""
    _guard(user, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.CHECKED:
        raise ImportRefused(_("Check the file (dry run) before importing it."))
    if job.invalid_rows and not only_valid:
        raise ImportRefused(
            _(
                "%(count)d rows have errors. Correct the file and upload it again, or choose "
                "to import the valid rows only."
            )
            % {"count": job.invalid_rows}
        )
    if not job.valid_rows:
        raise ImportRefused(_("No row is valid: nothing can be imported."))
    job.status = ImportStatus.IMPORTING
    job.only_valid = only_valid
    job.to_import = job.valid_rows
    job.imported_by = user
    job.save()
    return job


def process(job: ImportJob, *, budget_seconds: float | None = None) -> ImportJob:
    """Import the job's valid rows in batches of BATCH, each batch in its own transaction with
    the job's progress; within `budget_seconds` when given (the rest for a later call)."""
    started = time.monotonic()
    while True:
        job, more = _process_batch(job.pk)
        if not more:
            return job
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            return job


@transaction.atomic
def _process_batch(job_pk: int) -> tuple[ImportJob, bool]:
    job = ImportJob.objects.select_for_update().get(pk=job_pk)
    if job.status != ImportStatus.IMPORTING:
        return job, False
    rows = list(job.rows.filter(status=ImportRowStatus.VALID).order_by("number")[:BATCH])
    if not rows:
        _finish(job)
        return job, False
    plain = {row.pk: row.values or {} for row in rows}
    references = {plain[row.pk]["reference"] for row in rows}
    taken = set(
        Entry.objects.filter(organisation=job.organisation, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    imported: list[int] = []
    with _lists():
        for row in rows:
            values = _from_plain(plain[row.pk])
            if values.reference in taken:  # registered meanwhile, after the dry run
                row.status = ImportRowStatus.INVALID
                row.errors = {
                    "reference": [
                        _("The registry already has an entry with the reference %(reference)s.")
                        % {"reference": values.reference}
                    ]
                }
                row.save(update_fields=["status", "errors"])
                continue
            apply_values(
                Entry(source=EntrySource.IMPORTED),
                values,
                source=EntrySource.IMPORTED,
                by=job.imported_by,
                reason=f"import {job.pk}",
            )
            imported.append(row.pk)
    ImportRow.objects.filter(pk__in=imported).update(status=ImportRowStatus.IMPORTED)
    job.imported_rows += len(imported)
    job.invalid_rows += len(rows) - len(imported)
    job.valid_rows -= len(rows) - len(imported)
    job.save()
    return job, True


def _finish(job: ImportJob) -> None:
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    record(
        Actor.of(job.imported_by) if job.imported_by else SYSTEM,
        "registry.import",
        "import_job",
        job.pk,
        _counts(job),
    )
    job.rows.all().delete()


def _counts(job: ImportJob) -> dict:
    return {
        "organisation": job.organisation_id,
        "rows": job.total_rows,
        "valid": job.valid_rows,
        "invalid": job.invalid_rows,
        "imported": job.imported_rows,
    }


@transaction.atomic
def cancel(user, job: ImportJob) -> ImportJob:
    """Stop before importing: the rows read from the file are removed."""
    _guard(user, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (ImportStatus.MAPPING, ImportStatus.CHECKED):
        raise ImportRefused(_("This import can no longer be cancelled."))
    _cancel(job, Actor.of(user))
    return job


def _cancel(job: ImportJob, actor: Actor) -> None:
    job.status = ImportStatus.CANCELLED
    job.finished_at = timezone.now()
    job.save()
    record(actor, "registry.import_cancelled", "import_job", job.pk, _counts(job))
    job.rows.all().delete()


def run_pending() -> list[ImportJob]:
    """What `run_imports` does: finish every ordered import; cancel the ones left unfinished
    for ABANDONED_AFTER (their rows, cells from the file, are not kept longer)."""
    done = [process(job) for job in ImportJob.objects.filter(status=ImportStatus.IMPORTING)]
    stale = ImportJob.objects.filter(
        status__in=[ImportStatus.MAPPING, ImportStatus.CHECKED],
        updated_at__lt=timezone.now() - ABANDONED_AFTER,
    )
    for job in stale:
        with transaction.atomic():
            _cancel(job, SYSTEM)
    return done


# Parsing a row ----------------------------------------------------------------------------


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"\s*,\s*", ", ", text)
    return re.sub(r"\s+", " ", text).strip()


def _names(kind: str, year: int) -> dict[str, str]:
    """{code or Dutch or English name, normalised: code} of the list valid in `year` (read once
    per list inside `taxonomy.cached()`)."""
    version = taxonomy.version_for(kind, year)
    cache = _names_cache.get()
    if cache is not None and version.pk in cache:
        return cache[version.pk]
    names: dict[str, str] = {}
    for item in taxonomy.items_of(version):
        for name in (item.name_en, item.name_nl, item.code):
            names[_normal(name)] = item.code
    if cache is not None:
        cache[version.pk] = names
    return names


@contextlib.contextmanager
def _lists():
    """The lists and their names read once for a whole file."""
    token = _names_cache.set({})
    try:
        with taxonomy.cached():
            yield
    finally:
        _names_cache.reset(token)


def _split(text: str, known: Callable[[str], bool]) -> list[str]:
    """The items of a list cell: separated by `|` (or new lines); otherwise by commas, where a
    name that itself holds commas is kept whole (the longest run of pieces that is a name)."""
    if not text.strip():
        return []
    if "|" in text or "\n" in text:
        return [part.strip() for part in re.split(r"[|\n]", text) if part.strip()]
    pieces = [piece.strip() for piece in text.split(",")]
    items, i = [], 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            candidate = ", ".join(pieces[i:j])
            if j == i + 1 or known(candidate):
                if candidate:
                    items.append(candidate)
                i = j
                break
    return items


@functools.cache
def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """{code, Dutch or English label, normalised: code} of a set of choices."""
    names = {}
    for value, label in choices.choices:
        for language in ("en", "nl"):
            with translation.override(language):
                names[_normal(str(label))] = value
        names[_normal(value)] = value
    return names


def _choice(text: str, choices: type[models.TextChoices], extra: dict | None = None) -> str | None:
    wanted = _normal(text)
    return _choice_names(choices).get(wanted) or (extra or {}).get(wanted)


def _date(text: str) -> datetime.date:
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return datetime.date(year, month, day)


def _parse(
    cells: list[str], mapping: dict[str, int], organisation_id: int, version_year: int | None
) -> tuple[EntryValues | None, dict[str, list[str]]]:
    """The row's values (None when a required one cannot be read) and its parse errors."""
    errors: dict[str, list[str]] = {}

    def cell(field: str) -> str:
        column = mapping.get(field)
        if column is None or column >= len(cells):
            return ""
        return str(cells[column]).strip()

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    def day(field: str) -> datetime.date | None:
        text = cell(field)
        if not text:
            return None
        try:
            return _date(text)
        except ValueError:
            error(
                field,
                _("“%(value)s” is not a date (write 31-12-2015 or 2015-12-31).") % {"value": text},
            )
            return None

    def number(field: str) -> int:
        text = cell(field)
        if not text:
            return 0
        if not re.fullmatch(r"\d{1,5}", text):
            error(field, _("“%(value)s” is not a whole number.") % {"value": text})
            return 0
        return int(text)

    reference = cell("reference")
    if not reference:
        error("reference", _("The reference is missing."))
    elif len(reference) > 40:
        error("reference", _("The reference is longer than 40 characters."))
    received_on = day("received_on")
    if received_on is None and "received_on" not in errors:
        error("received_on", _("The date of receipt is missing."))
    kind = Kind.INTEGRITY_VIOLATION.value
    if text := cell("kind"):
        found = _choice(text, Kind, KIND_WORDS)
        if found is None:
            error("kind", _("“%(value)s” is not a kind of report.") % {"value": text})
        else:
            kind = found
    follow_up = ""
    if text := cell("follow_up"):
        found = _choice(text, FollowUpRoute)
        if found is None:
            error("follow_up", _("“%(value)s” is not a follow-up.") % {"value": text})
        else:
            follow_up = found
    investigated = False
    text = cell("investigated")
    if _normal(text) in TRUE_WORDS:
        investigated = True
    elif _normal(text) not in FALSE_WORDS:
        error("investigated", _("“%(value)s” is not yes or no.") % {"value": text})
    dates = {field: day(field) for field in ("acknowledged_on", "fed_back_on", "closed_on")}
    complaints, persons = number("criminal_complaints"), number("persons_involved")
    if errors.get("reference") or received_on is None:
        return None, errors

    year = version_year or received_on.year

    def codes(kind_of_list: str, text: str) -> list[str]:
        names = _names(kind_of_list, year)
        return [
            names.get(_normal(item), item) for item in _split(text, lambda t: _normal(t) in names)
        ]

    def one(kind_of_list: str, text: str) -> str:
        return _names(kind_of_list, year).get(_normal(text), text) if text else ""

    types = list(dict.fromkeys(codes(taxonomy.VIOLATION_TYPE, cell("violation_types"))))
    established = set(codes(taxonomy.VIOLATION_TYPE, cell("findings")))
    findings = {code: True for code in sorted(established)}
    if investigated:
        findings.update({code: False for code in types if code not in established})
    measures: dict[str, int] = {}
    names = _names(taxonomy.MEASURE, year)
    for item in _split(cell("measures"), lambda t: _normal(_counted(t)[0]) in names):
        name, count = _counted(item)
        if count is None:
            error("measures", _("“%(value)s” has no valid count.") % {"value": item})
            continue
        code = names.get(_normal(name), name)
        measures[code] = measures.get(code, 0) + count
    values = EntryValues(
        organisation_id=organisation_id,
        reference=reference,
        kind=kind,
        received_on=received_on,
        channel=one(taxonomy.CHANNEL, cell("channel")),
        violation_types=types,
        follow_up=follow_up,
        investigated=investigated,
        executor=one(taxonomy.EXECUTOR, cell("executor")),
        findings=dict(sorted(findings.items())),
        measures=dict(sorted(measures.items())),
        criminal_complaints=complaints,
        persons_involved=persons,
        version_year=version_year,
        acknowledged_on=dates["acknowledged_on"],
        fed_back_on=dates["fed_back_on"],
        closed_on=dates["closed_on"],
    )
    return values, errors


def _counted(item: str) -> tuple[str, int | None]:
    """ "dismissal:2" -> ("dismissal", 2); "dismissal" -> ("dismissal", 1)."""
    if match := re.fullmatch(r"(.+?)\s*[:×*]\s*(\S*)", item.strip()):
        name, count = match.groups()
        return name, int(count) if re.fullmatch(r"\d{1,4}", count) else None
    return item.strip(), 1


def _plain(values: EntryValues) -> dict:
    # Shallow (asdict deep-copies, slowly): the values are only serialised as JSON.
    data = {field.name: getattr(values, field.name) for field in dataclasses.fields(values)}
    for field in ("received_on", "acknowledged_on", "fed_back_on", "closed_on"):
        if data[field] is not None:
            data[field] = data[field].isoformat()
    return data


def _from_plain(data: dict) -> EntryValues:
    data = dict(data)
    for field in ("received_on", "acknowledged_on", "fed_back_on", "closed_on"):
        if data[field] is not None:
            data[field] = datetime.date.fromisoformat(data[field])
    return EntryValues(**data)
