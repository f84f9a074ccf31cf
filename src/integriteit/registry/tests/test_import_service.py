"""Importing an earlier register (issue 11 §1): the Defensie 2015 funnel of REGISTRY.md
reproduced from imported entries, and every kind of bad file or bad row refused with a clear
error and nothing written."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import translation
from openpyxl import Workbook

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.flow import verified
from integriteit.organisations.models import Organisation
from integriteit.registry import import_files, imports
from integriteit.registry.constants import EntrySource, ImportRowStatus, ImportStatus
from integriteit.registry.models import Entry, EntryChange, EntryMeasure, ImportJob, ImportRow
from integriteit.registry.tests import defensie2015

pytestmark = pytest.mark.django_db

HEADER = "Kenmerk;Datum ontvangst;Soort schending;Onderzocht;Vastgesteld;Maatregelen;Afgesloten\n"


@pytest.fixture
def defensie_coordinator(people, make_staff):
    organisation = defensie2015.defensie()
    from integriteit.accounts.tests.factories import RoleAssignmentFactory

    user = RoleAssignmentFactory.create(role=Role.COORDINATOR, organisation=organisation).user
    return organisation, verified(user)


@pytest.fixture
def bzk(people):
    coordinator = verified(people["coordinator"])
    return Organisation.objects.get(slug="bzk"), coordinator


def checked(user, organisation, content: bytes, name="register.csv", version_year=None):
    job = imports.start(user, organisation, name, content)
    return imports.check(user, job, job.mapping, version_year)


def errors_of(job) -> dict[int, dict]:
    return {row.number: row.errors for row in job.rows.exclude(errors={})}


def test_the_defensie_2015_funnel_is_reproduced_from_imported_entries(defensie_coordinator):
    organisation, user = defensie_coordinator
    job = checked(user, organisation, defensie2015.csv_bytes())
    assert job.mapping == {
        field: column
        for column, field in enumerate(
            [
                "reference",
                "received_on",
                "kind",
                "channel",
                "violation_types",
                "follow_up",
                "investigated",
                "executor",
                "findings",
                "measures",
                "criminal_complaints",
                "persons_involved",
                "closed_on",
            ]
        )
    }
    assert errors_of(job) == {}
    assert (job.total_rows, job.valid_rows, job.invalid_rows) == (417, 417, 0)
    assert not Entry.objects.filter(organisation=organisation).exists()  # the dry run

    imports.start_import(user, job, only_valid=False)
    job = imports.process(job)
    assert job.status == ImportStatus.DONE
    assert job.imported_rows == 417
    assert not ImportRow.objects.filter(job=job).exists()  # the file's cells are not kept

    entries = Entry.objects.filter(organisation=organisation, received_on__year=2015)
    assert entries.count() == 417
    assert entries.filter(investigated=True).count() == 376
    assert entries.filter(findings__established=True).distinct().count() == 284
    measures = dict(
        EntryMeasure.objects.filter(entry__organisation=organisation)
        .values_list("measure__code")
        .annotate(total=Sum("count"))
    )
    assert measures == defensie2015.MEASURES
    assert set(entries.values_list("violation_types__taxonomy__version", flat=True)) == {"2009"}
    assert set(entries.values_list("source", flat=True)) == {EntrySource.IMPORTED}
    change = EntryChange.objects.filter(entry__organisation=organisation).first()
    assert change is not None
    assert (change.source, change.by, change.reason) == ("imported", user, f"import {job.pk}")
    audit = AuditEntry.objects.get(action="registry.import", object_id=str(job.pk))
    assert audit.detail == {
        "organisation": organisation.pk,
        "rows": 417,
        "valid": 417,
        "invalid": 0,
        "imported": 417,
    }


def test_batches_report_progress(defensie_coordinator, monkeypatch):
    organisation, user = defensie_coordinator
    monkeypatch.setattr(imports, "BATCH", 100)
    job = checked(user, organisation, defensie2015.csv_bytes(delimiter=","))
    assert job.valid_rows == 417  # the comma is recognised too
    imports.start_import(user, job, only_valid=False)
    job, more = imports._process_batch(job.pk)
    assert (job.status, job.imported_rows, more) == (ImportStatus.IMPORTING, 100, True)
    assert Entry.objects.filter(organisation=organisation).count() == 100
    done = imports.run_pending()  # what `run_imports` does
    assert [j.imported_rows for j in done] == [417]


def test_dutch_and_english_names_are_accepted_without_case(bzk):
    organisation, user = bzk
    content = (
        HEADER + "A-1;3-2-2016;FINANCIËLE SCHENDINGEN | misuse of powers;Ja;financiële "
        "schendingen;ontslag:2|Geen maatregel;2016-05-01\n"
        "A-2;2025-03-01;Lekken, misbruiken, achterhouden of onzorgvuldig omgaan met informatie,"
        " ongewenst gedrag;nee;;;\n"
    ).encode()
    job = checked(user, organisation, content)
    assert errors_of(job) == {}
    first, second = job.rows.order_by("number")
    assert first.values["violation_types"] == ["financial", "misuse_of_powers"]
    assert first.values["findings"] == {"financial": True, "misuse_of_powers": False}
    assert first.values["measures"] == {"dismissal": 2, "none": 1}
    assert second.values["violation_types"] == ["information", "behaviour"]  # 2024 list


def test_a_fixed_taxonomy_version(bzk):
    organisation, user = bzk
    content = (HEADER + "A-1;3-2-2019;misuse_of_position;nee;;;\n").encode()
    job = checked(user, organisation, content)  # 2019: the 2018 list has no such code
    assert "violation_types" in errors_of(job)[2]
    job = imports.check(user, job, job.mapping, 2009)
    assert errors_of(job) == {}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("A-1;3-2-2016;no_such_type;nee;;;", "violation_types"),  # wrong type code
        ("A-1;3-2-2016;financial;ja;financial;;1-1-2016", "closed_on"),  # dates out of order
        ("A-1;3-2-2016;financial;ja;;dismissal;", "measures"),  # no established violation
        ("A-1;31-02-2015;financial;nee;;;", "received_on"),  # a bad date
        ("A-1;3-2-2016;financial;misschien;;;", "investigated"),
        ("A-1;3-2-2016;financial;ja;;ontslag:veel;", "measures"),
        ("A-1;3-2-2016;financial;nee;financial;;", "findings"),  # findings, no investigation
        (";3-2-2016;financial;nee;;;", "reference"),
    ],
)
def test_a_bad_row_is_shown_with_its_error_and_nothing_is_written(bzk, line, field):
    organisation, user = bzk
    before = Entry.objects.count()
    job = checked(user, organisation, (HEADER + "B-1;1-1-2016;financial;nee;;;\n" + line).encode())
    errors = errors_of(job)
    assert list(errors) == [3]
    assert field in errors[3] and all(errors[3][field])
    assert (job.valid_rows, job.invalid_rows) == (1, 1)
    with pytest.raises(import_files.ImportRefused):
        imports.start_import(user, job, only_valid=False)  # errors remain
    assert Entry.objects.count() == before


def test_the_error_messages_say_what_is_wrong(bzk):
    organisation, user = bzk
    with translation.override("en"):
        job = checked(user, organisation, (HEADER + "A-1;31-02-2015;x;nee;;;\n").encode())
    assert errors_of(job)[2] == {
        "received_on": ["“31-02-2015” is not a date (write 31-12-2015 or 2015-12-31)."]
    }


def test_duplicates_in_the_file_and_in_the_registry(bzk):
    organisation, user = bzk
    first = checked(user, organisation, (HEADER + "OUD-1;1-1-2016;financial;nee;;;\n").encode())
    imports.start_import(user, first, only_valid=False)
    imports.process(first)
    content = (
        HEADER
        + "OUD-1;1-1-2016;financial;nee;;;\n"
        + "N-1;1-1-2016;financial;nee;;;\nn-1;2-1-2016;financial;nee;;;\nN-2;1-1-2016;;nee;;;\n"
    )
    job = checked(user, organisation, content.encode())
    errors = errors_of(job)
    assert sorted(errors) == [2, 3, 4]
    assert all("reference" in errors[n] for n in errors)
    assert (job.valid_rows, job.invalid_rows) == (1, 3)
    imports.start_import(user, job, only_valid=True)  # her choice: the valid row only
    job = imports.process(job)
    assert job.imported_rows == 1
    assert Entry.objects.filter(organisation=organisation, reference="N-2").exists()
    assert not Entry.objects.filter(organisation=organisation, reference="N-1").exists()


def _xlsx(rows, formula=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["G2"] = "=1+1"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_register(bzk):
    import datetime

    organisation, user = bzk
    content = _xlsx(
        [
            ["Reference", "Received", "Violation types", "Investigated", "Measures"],
            ["X-1", datetime.datetime(2016, 2, 3), "financial", "no", "none"],
            ["X-2", datetime.date(2016, 2, 4), "behaviour", 0, None],
        ]
    )
    job = checked(user, organisation, content, name="register.xlsx")
    assert errors_of(job) == {}
    assert job.rows.get(number=2).values["received_on"] == "2016-02-03"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("leeg.csv", b"", "The file is empty."),
        ("leeg.csv", b"\n\n", "The file is empty."),
        ("koppen.csv", HEADER.encode(), "The file has headers but no rows."),
        ("koppen.csv", (HEADER + ";;;;;;\n").encode(), "The file has headers but no rows."),
        (
            "latin1.csv",
            (HEADER + "A-1;1-1-2016;financiële;nee;;;\n").encode("latin-1"),
            "The file is not in UTF-8.",
        ),
        ("nep.xlsx", b"Kenmerk;Datum\nA;1-1-2016\n", "not an Excel workbook"),  # a fake XLSX
        ("nep.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook"),
        ("nep.xlsx", _zip({"word/document.xml": b"<w/>"}), "not an Excel workbook"),
        (
            "bom.xlsx",
            _zip({"xl/workbook.xml": b"<w/>", "xl/worksheets/s.xml": b"0" * 5_000_000}),
            "too large once unpacked",
        ),
        (
            "entiteit.xlsx",
            _zip({"xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><w/>'}),
            "holds XML it should not",
        ),
        (
            "formule.xlsx",
            _xlsx([["Kenmerk", "Datum"], ["A", "1-1-2016"]], formula=True),
            "holds formulas",
        ),
        (
            "formule.csv",
            (HEADER + 'A-1;1-1-2016;"=HYPERLINK(""x"")";nee;;;\n').encode(),
            "Row 2, column 3 holds a formula",
        ),
        ("register.pdf", b"%PDF-1.4", "Only CSV (.csv) and Excel (.xlsx)"),
        ("binair.csv", b"Kenmerk\x00;Datum\n", "not a CSV text file"),
        ("groot.csv", b"a;b\n" + b"1;2\n" * 3_000_000, "larger than 10"),  # over 10 MB
    ],
)
def test_a_bad_file_is_refused_and_stores_nothing(bzk, name, content, why):
    organisation, user = bzk
    with translation.override("en"), pytest.raises(import_files.ImportRefused) as refused:
        imports.start(user, organisation, name, content)
    assert why in refused.value.message
    assert not ImportJob.objects.exists()
    assert not ImportRow.objects.exists()


def test_abandoned_imports_are_cancelled_and_their_rows_removed(bzk):
    import datetime

    organisation, user = bzk
    job = imports.start(user, organisation, "r.csv", (HEADER + "A;1-1-2016;;nee;;;\n").encode())
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - imports.ABANDONED_AFTER - datetime.timedelta(hours=1)
    )
    imports.run_pending()
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert not job.rows.exists()


def test_too_many_rows(bzk, monkeypatch):
    organisation, user = bzk
    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    content = (HEADER + "A;1-1-2016;;nee;;;\n" * 4).encode()
    with pytest.raises(import_files.ImportRefused):
        imports.start(user, organisation, "lang.csv", content)
    assert not ImportJob.objects.exists()


def test_only_the_organisations_coordinators(bzk, defensie_coordinator, people):
    organisation, user = bzk
    _defensie, defensie_user = defensie_coordinator
    content = (HEADER + "A-1;1-1-2016;financial;nee;;;\n").encode()
    for outsider in (people["authority"], people["bzk-coordinator"], people["admin"]):
        verified(outsider)
        with pytest.raises(PermissionDenied):
            imports.start(outsider, organisation, "r.csv", content)
    with pytest.raises(PermissionDenied):
        imports.start(defensie_user, organisation, "r.csv", content)
    job = imports.start(user, organisation, "r.csv", content)
    for action in (
        lambda: imports.check(defensie_user, job, job.mapping, None),
        lambda: imports.start_import(defensie_user, job, only_valid=True),
        lambda: imports.cancel(defensie_user, job),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert job.rows.get().status == ImportRowStatus.PENDING


def test_cancel_removes_the_rows(bzk):
    organisation, user = bzk
    job = checked(user, organisation, (HEADER + "A-1;1-1-2016;financial;nee;;;\n").encode())
    imports.cancel(user, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert not job.rows.exists()
    assert AuditEntry.objects.filter(action="registry.import_cancelled").count() == 1
    assert not Entry.objects.filter(reference="A-1").exists()
