"""Importing an existing risk register into an analysis (issue 12, "bad input"): a good CSV and
a good XLSX become processes, risks and scores on the analysis's matrix; every bad row is shown
in the dry run with its errors and nothing written; an oversized or formula file is refused
with a clear message; only the analysis's coordinators reach the pages (404 otherwise)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.flow import verified
from integriteit.prevention import risk_import
from integriteit.prevention.constants_analyses import RiskSource, ScoreKind
from integriteit.prevention.matrices import OutsideMatrix
from integriteit.prevention.models import Analysis, Process, Risk, Score

from .analyses_helpers import make_analysis, make_process

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "Proces;Risico;Omschrijving;Risico-eigenaar;Kans vóór maatregelen;Impact vóór maatregelen;"
    "Kans na maatregelen;Impact na maatregelen;Opmerking\n"
    "Inkoop;Bevoordeling van een leverancier;Onderhandse gunning;Hoofd inkoop;4;3;2;3;x\n"
    "inkoop;Lekken van offertes;;Hoofd inkoop;3;4;;;\n"
    "Subsidies;Fraude met aanvragen;;;2;5;1;5;\n"
).encode()
BAD_CSV = (
    b"Process,Risk title,Likelihood before,Impact before,Likelihood after,Impact after\n"
    b"Inkoop,Goed risico,1,1,,\n"
    b"Inkoop,Buiten de matrix,9,3,,\n"
    b"Inkoop,Half paar,3,,,\n"
    b"Inkoop,,2,2,,\n"
    b"Inkoop,Geen getal,twee,2,,\n"
)


@pytest.fixture
def coordinator(people):
    return verified(people["coordinator"])


@pytest.fixture
def analysis(coordinator):
    analysis = make_analysis(coordinator)
    make_process(coordinator, analysis, "Inkoop")
    return analysis


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _urls(analysis) -> tuple[str, str]:
    return (
        reverse("prevention:risk_import", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:risk_import_check", kwargs={"analysis_id": analysis.pk}),
    )


def _upload(client, analysis, content: bytes, name: str = "register.csv"):
    return client.post(_urls(analysis)[0], {"file": SimpleUploadedFile(name, content)})


def _risks(analysis):
    return Risk.objects.filter(process__analysis=analysis)


def test_a_good_csv_is_imported_through_the_pages(people, staff_client, analysis):
    client = staff_client(people["coordinator"])
    upload_url, check_url = _urls(analysis)
    detail = client.get(reverse("prevention:analyses:detail", kwargs={"analysis_id": analysis.pk}))
    assert upload_url in detail.content.decode()
    assert client.get(upload_url).status_code == 200

    response = _upload(client, analysis, GOOD_CSV)
    assert response.status_code == 302 and response.url == check_url
    page = client.get(check_url).content.decode()
    assert 'data-valid-rows="3"' in page and 'data-invalid-rows="0"' in page
    assert 'data-new-processes="1"' in page and 'data-ignored-columns="1"' in page
    assert 'data-row="2"' in page and 'data-row="4"' in page
    assert not _risks(analysis).exists()  # the dry run writes nothing

    client.post(check_url, {})  # not confirmed: nothing
    assert not _risks(analysis).exists()
    response = client.post(check_url, {"confirm": "yes"})
    assert response.url == reverse(
        "prevention:analyses:detail", kwargs={"analysis_id": analysis.pk}
    )

    assert sorted(analysis.processes.values_list("name", flat=True)) == ["Inkoop", "Subsidies"]
    risk = _risks(analysis).get(title="Bevoordeling van een leverancier")
    assert (risk.process.name, risk.owner, risk.description, risk.source) == (
        "Inkoop",
        "Hoofd inkoop",
        "Onderhandse gunning",
        RiskSource.COORDINATOR,
    )
    assert _risks(analysis).get(title="Lekken van offertes").process == risk.process
    scores = Score.objects.filter(risk__process__analysis=analysis)
    assert scores.count() == 5
    inherent = scores.get(risk=risk, kind=ScoreKind.INHERENT)
    assert (inherent.likelihood, inherent.impact) == (4, 3)
    assert (inherent.matrix_id, inherent.matrix_version) == (
        analysis.matrix_id,
        analysis.matrix.version,
    )
    risk.refresh_from_db()
    assert risk.review_on is not None
    audit = AuditEntry.objects.filter(
        action="prevention.risks_imported", object_id=str(analysis.pk)
    )
    assert audit.count() == 1
    assert audit.get().detail["risks"] == 3
    assert client.session.get(f"prevention.risk_import.{analysis.pk}") is None
    assert client.get(check_url).status_code == 302  # the rows are gone: back to the upload


def test_a_good_xlsx_is_imported(coordinator, analysis):
    content = _xlsx(
        [
            ["Process", "Risk", "Owner", "Likelihood before", "Impact before"],
            ["Personeel", "Belangenverstrengeling", "HR", 3, 3],
            ["Personeel", "Misbruik van bevoegdheden", None, None, None],
        ]
    )
    parsed = risk_import.read_register(coordinator, analysis, "register.xlsx", content)
    assert [row.errors for row in parsed.rows] == [[], []]
    imported = risk_import.import_rows(coordinator, analysis, parsed)
    assert (imported.risks, imported.processes, imported.scores) == (2, 1, 1)
    score = Score.objects.get(risk__title="Belangenverstrengeling")
    assert (score.kind, score.likelihood, score.impact, score.matrix_version) == (
        ScoreKind.INHERENT,
        3,
        3,
        analysis.matrix.version,
    )
    assert not Score.objects.filter(risk__title="Misbruik van bevoegdheden").exists()


def test_bad_rows_are_shown_in_the_dry_run_and_only_the_valid_ones_imported(
    people, staff_client, analysis
):
    client = staff_client(people["coordinator"])
    _upload(client, analysis, BAD_CSV)
    check_url = _urls(analysis)[1]
    page = client.get(check_url).content.decode()
    assert 'data-valid-rows="1"' in page and 'data-invalid-rows="4"' in page
    for number in (3, 4, 5, 6):
        assert f'data-row="{number}" data-errors="1"' in page, number
    assert 'data-row="2" data-errors="0"' in page
    assert not _risks(analysis).exists()

    with translation.override("en"):
        parsed = risk_import.read_register(
            verified(people["coordinator"]), analysis, "r.csv", BAD_CSV
        )
    errors = {row.number: row.errors for row in parsed.invalid}
    assert "not a step of the matrix" in errors[3][0]
    assert "or neither" in errors[4][0]
    assert "no title" in errors[5][0]
    assert "not a whole number" in errors[6][0]

    client.post(check_url, {"confirm": "yes"})
    assert list(_risks(analysis).values_list("title", flat=True)) == ["Goed risico"]
    assert Score.objects.filter(risk__process__analysis=analysis).count() == 1


def test_a_file_without_valid_rows_imports_nothing(coordinator, analysis):
    parsed = risk_import.read_register(
        coordinator, analysis, "r.csv", b"Proces;Risico;Kans voor;Impact voor\nInkoop;X;0;9\n"
    )
    assert parsed.valid == []
    with pytest.raises(risk_import.ImportRefused):
        risk_import.import_rows(coordinator, analysis, parsed)
    assert not _risks(analysis).exists()


def test_a_file_without_the_required_columns_is_refused(coordinator, analysis):
    with pytest.raises(risk_import.ImportRefused):
        risk_import.read_register(coordinator, analysis, "r.csv", b"Naam;Datum\nX;1\n")


def test_too_many_rows_are_refused(people, staff_client, analysis):
    content = ("Proces;Risico\n" + "Inkoop;Risico\n" * (risk_import.MAX_ROWS + 1)).encode()
    client = staff_client(people["coordinator"])
    with translation.override("en"):
        response = _upload(client, analysis, content)
        assert response.status_code == 200
        assert "more than 1.000 rows" in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    assert client.session.get(f"prevention.risk_import.{analysis.pk}") is None
    assert not _risks(analysis).exists()
    ok = ("Proces;Risico\n" + "Inkoop;Risico\n" * risk_import.MAX_ROWS).encode()
    assert _upload(client, analysis, ok).status_code == 302


def test_too_many_bytes_are_refused(coordinator, analysis):
    padding = "x" * 900
    line = f"Inkoop;Risico;{padding}\n"
    content = ("Proces;Risico;Omschrijving\n" + line * 2400).encode()
    assert len(content) > risk_import.MAX_BYTES
    with translation.override("en"), pytest.raises(risk_import.ImportRefused) as refused:
        risk_import.read_register(coordinator, analysis, "r.csv", content)
    assert "larger than 2.0" in refused.value.message


@pytest.mark.parametrize(
    "name, content",
    [
        ("r.csv", b'Proces;Risico\nInkoop;=HYPERLINK("x")\n'),
        ("r.xlsx", None),
    ],
)
def test_a_formula_is_refused(people, staff_client, analysis, name, content):
    if content is None:
        content = _xlsx([["Proces", "Risico", "Kans voor"], ["Inkoop", "X", "=1+1"]])
    client = staff_client(people["coordinator"])
    with translation.override("en"):
        response = _upload(client, analysis, content, name)
    assert response.status_code == 200 and "formula" in response.content.decode()
    assert client.session.get(f"prevention.risk_import.{analysis.pk}") is None


def test_a_matrix_that_changed_undoes_the_whole_import(coordinator, analysis):
    parsed = risk_import.read_register(coordinator, analysis, "r.csv", GOOD_CSV)
    parsed.rows[-1].scores["inherent"] = [9, 9]  # as if the matrix took it no longer
    with pytest.raises(OutsideMatrix):
        risk_import.import_rows(coordinator, analysis, parsed)
    assert not _risks(analysis).exists()
    assert Process.objects.filter(analysis=analysis).count() == 1


@pytest.mark.parametrize("username", ["manager", "director", "employee", "coordinator-fin"])
def test_only_the_coordinator_reaches_the_import(people, staff_client, analysis, username):
    coordinator = staff_client(people["coordinator"])
    _upload(coordinator, analysis, GOOD_CSV)
    client = staff_client(people[username])
    for url in _urls(analysis):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"confirm": "yes"}).status_code == 404, url
    assert _upload(client, analysis, GOOD_CSV).status_code == 404
    assert not _risks(analysis).exists()
    page = client.get(reverse("prevention:analyses:detail", kwargs={"analysis_id": analysis.pk}))
    assert _urls(analysis)[0] not in page.content.decode()


def test_another_organisation_and_a_tampered_id_are_404(people, staff_client, analysis):
    client = staff_client(people["coordinator"])
    for tampered in (987654321, 0):
        for name in ("prevention:risk_import", "prevention:risk_import_check"):
            assert client.get(reverse(name, kwargs={"analysis_id": tampered})).status_code == 404
    Analysis.objects.filter(pk=analysis.pk).update(
        organisation=people["coordinator-fin"].roles.get().organisation
    )
    for url in _urls(analysis):
        assert client.get(url).status_code == 404


def test_rows_of_another_analysis_are_not_imported(coordinator, analysis):
    other = make_analysis(coordinator, title="Andere analyse")
    parsed = risk_import.read_register(coordinator, other, "r.csv", GOOD_CSV)
    with pytest.raises(PermissionDenied):
        risk_import.import_rows(coordinator, analysis, parsed)
    assert not _risks(analysis).exists()


def test_cancel_removes_the_rows(people, staff_client, analysis):
    client = staff_client(people["coordinator"])
    _upload(client, analysis, GOOD_CSV)
    check_url = _urls(analysis)[1]
    assert client.session.get(f"prevention.risk_import.{analysis.pk}") is not None
    client.post(check_url, {"action": "cancel"})
    assert client.session.get(f"prevention.risk_import.{analysis.pk}") is None
    assert not _risks(analysis).exists()
