"""Importing an earlier register (issue 11 §1; docs/registry-import.md): a CSV or XLSX file is
read into rows (`start`, through `import_files`), its columns are mapped onto the entry's fields and every row is
checked without writing anything (`check`, the dry run, through `import_rows`), and the valid rows are then written in
batches through `entries.apply_values` (`start_import`, `process`), one audit record per job.

The file is never stored. A file that is not a spreadsheet, too large, too long, packed to
explode when unpacked, or carrying formulas is refused before anything is written. The rows'
cells are kept only while the job runs: they are removed when it is done or cancelled (and after
`ABANDONED_AFTER` by `run_imports`).
"""

from __future__ import annotations

import datetime
import time
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import SYSTEM, Actor, record

from .access import organisations_for_entries
from .constants import EntrySource, ImportRowStatus, ImportStatus
from .entries import apply_values, problems
from .import_files import ImportRefused, read_table
from .import_rows import FIELDS, REQUIRED, from_plain, guess_mapping, lists, parse, plain
from .models import Entry, ImportJob, ImportRow

BATCH = 500
# How long the request that orders an import keeps importing before leaving the rest to
# `run_imports` (the page shows the progress and refreshes itself).
REQUEST_BUDGET_SECONDS = 5.0
ABANDONED_AFTER = datetime.timedelta(days=7)


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
    with lists():
        parsed = [parse(row.cells, mapping, job.organisation_id, version_year) for row in rows]
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
            row.values = plain(values) if values is not None and not errors else None
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
    stored = {row.pk: row.values or {} for row in rows}
    references = {stored[row.pk]["reference"] for row in rows}
    taken = set(
        Entry.objects.filter(organisation=job.organisation, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    imported: list[int] = []
    with lists():
        for row in rows:
            values = from_plain(stored[row.pk])
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
