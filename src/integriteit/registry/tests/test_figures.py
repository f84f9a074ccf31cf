"""The return pages and the published figures: access per role, the flow through the pages,
suppression in the page, CSV, XLSX and PDF (issue 11 §3–6)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integriteit import testing
from integriteit.figures.suppression import PRIMARY
from integriteit.organisations.models import Organisation
from integriteit.registry import published, returns
from integriteit.registry.constants import ReturnStatus
from integriteit.registry.models import AnnualReturn
from integriteit.registry.tests import regdata
from integriteit.registry.tests.regdata import add_entry

pytestmark = pytest.mark.django_db
orgs, users = regdata.orgs, regdata.users  # fixtures
D = datetime.date


def _publish(orgs, users):
    for i in range(9):
        add_entry(
            orgs["bzk"],
            D(2024, 1 + i, 3),
            violation_types=["financial"],
            investigated=True,
            findings={"financial": i < 6},
            measures={"fine": 1},
            closed_on=D(2024, 11, 1),
        )
        add_entry(
            orgs["fin"],
            D(2024, 2, 1 + i),
            violation_types=["behaviour"] if i < 7 else ["information"],
        )
        add_entry(orgs["defensie"], D(2024, 3, 1 + i), violation_types=["force"])
    for name, org in (
        ("bzk_coordinator", "bzk"),
        ("fin_coordinator", "fin"),
        ("def_coordinator", "defensie"),
    ):
        annual_return = returns.open_return(users[name], orgs[org], 2024)
        returns.submit(users[name], annual_return)
    for annual_return in AnnualReturn.objects.all():
        validator = (
            users["def_authority"]
            if annual_return.organisation == orgs["defensie"]
            else users["government"]
        )
        returns.validate(validator, annual_return)
    returns.set_headcount(users["bzk_coordinator"], orgs["bzk"], 2024, Decimal(3000))
    return returns.publish(users["government"], 2024)


def test_return_pages_flow(orgs, users, staff_client):
    add_entry(orgs["fin"], D(2024, 4, 1), violation_types=["financial"])
    coordinator = staff_client(users["fin_coordinator"])
    response = coordinator.post(
        reverse("registry:return_list"), {"organisation": orgs["fin"].pk, "year": 2024}
    )
    annual_return = AnnualReturn.objects.get(organisation=orgs["fin"], year=2024)
    assert response.url == reverse("registry:return_detail", args=[annual_return.pk])
    page = coordinator.get(response.url)
    assert page.status_code == 200 and b'data-cell="reports.total"' in page.content
    # Without confirmation nothing is submitted.
    coordinator.post(reverse("registry:return_submit", args=[annual_return.pk]))
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.DRAFT
    coordinator.post(reverse("registry:return_submit", args=[annual_return.pk]), {"confirm": "yes"})
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.SUBMITTED
    # BZK's coordinator of BZK cannot see FIN's return; the government-wide coordinator can.
    other = staff_client(users["bzk_coordinator"])
    assert other.get(reverse("registry:return_detail", args=[annual_return.pk])).status_code == 404
    assert (
        other.post(
            reverse("registry:return_decide", args=[annual_return.pk]), {"decision": "validate"}
        ).status_code
        == 404
    )
    # A correction after submission: its reason beside the cell for the coordinator only.
    from integriteit.registry.entries import apply_values, values_of
    from integriteit.registry.models import Entry

    entry = Entry.objects.get(organisation=orgs["fin"])
    values = values_of(entry)
    values.investigated = True
    apply_values(
        entry,
        values,
        source="manual",
        by=users["fin_coordinator"],
        reason="Investigation was missing",
    )
    page = coordinator.get(reverse("registry:return_detail", args=[annual_return.pk]))
    assert "Investigation was missing" in page.content.decode()
    government = staff_client(users["government"])
    page = government.get(reverse("registry:return_detail", args=[annual_return.pk]))
    assert page.status_code == 200
    assert "Investigation was missing" not in page.content.decode()
    assert entry.reference not in page.content.decode()
    government.post(
        reverse("registry:return_decide", args=[annual_return.pk]),
        {"decision": "return", "remark": "Missing a paper file"},
    )
    annual_return.refresh_from_db()
    assert (annual_return.status, annual_return.remark) == (
        ReturnStatus.RETURNED,
        "Missing a paper file",
    )
    for name in ("auditor", "admin", "employee"):
        client = staff_client(users[name])
        assert client.get(reverse("registry:return_list")).status_code == 404
        assert (
            client.get(reverse("registry:return_detail", args=[annual_return.pk])).status_code
            == 404
        )


def test_published_page_and_exports(orgs, users, staff_client):
    publication = _publish(orgs, users)
    client = staff_client(users["employee"])  # published figures: every member of staff
    page = client.get(reverse("registry:figures")).content.decode()
    assert "<svg" in page and "<caption" in page
    data = published.of_publication(publication)
    funnel = data.table("funnel")
    # BZK 9 reports + FIN 9 = 18 in the sector; Defensie's 9 apart.
    assert funnel.totals is not None and funnel.totals.cells[0].value == 18
    assert data.table("outside").rows[0].cells[0].value == 9
    markers = [
        c for _label, cells in data.table("types").display_rows() for c in cells if c in ("<5", "*")
    ]
    assert markers  # information: 2 reports at FIN
    csv_text = client.get(reverse("registry:figures_csv")).content.decode()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(reverse("registry:figures_xlsx")).content)).active
    xlsx_values = [
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    ]
    from pypdf import PdfReader

    pdf = client.get(reverse("registry:figures_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Gemaakt op" in pdf_text  # rendered in Dutch (new msgids await translation)
    assert "2024" in pdf_text
    assert "Defensie" in pdf_text
    for table in data.tables:
        for line in table.export_rows()[1:]:
            _label, *values = line
            assert ",".join(str(v) for v in values) in csv_text.replace("\r", ""), line
            for value in values:
                assert str(value) in xlsx_values
    assert "<5" in pdf_text
    # The sector total of "information" (2) is suppressed in every export.
    assert not re.search(
        r"\b2\b",
        next(
            ln
            for ln in csv_text.splitlines()
            if "lekken" in ln.lower() or "information" in ln.lower()
        ).split(",", 1)[1],
    )


def test_filters(orgs, users, staff_client):
    _publish(orgs, users)
    client = staff_client(users["employee"])
    page = client.get(
        reverse("registry:figures"),
        {"organisation": orgs["fin"].pk, "type": "behaviour", "kind": "integrity_violation"},
    )
    assert page.status_code == 200
    data = page.context["figures"]
    assert [row.key for row in data.table("funnel").rows] == [str(orgs["fin"].pk)]
    assert [row.key for row in data.table("types").rows] == ["behaviour"]
    assert [row.key for row in data.table("kinds").rows] == ["integrity_violation"]
    assert client.get(reverse("registry:figures"), {"year": 1999}).status_code == 200
    assert client.get(reverse("registry:figures"), {"year": 2023}).status_code == 404


def test_figures_need_staff(client, orgs, users):
    assert client.get(reverse("registry:figures")).status_code in (302, 404)


def _recoverable(table) -> list[str]:
    """Suppressed cells that a row or column with exactly one hidden cell gives away."""
    found = []
    width = len(table.columns)
    lines = [row.all_cells() for row in table.all_rows()]
    for r, cells in enumerate(lines):
        hidden = [c for c in cells if c.suppressed]
        if len(hidden) == 1 and table.row_totals:
            found.append(f"row {r}")
    if table.totals is not None:
        for j in range(width + (1 if table.row_totals else 0)):
            column = [line[j] for line in lines]
            if sum(1 for c in column if c.suppressed) == 1:
                found.append(f"column {j}")
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=1, max_size=5),
    st.lists(st.integers(0, 12), min_size=5, max_size=5),
)
def test_no_suppressed_cell_recoverable(orgs, per_type, funnel):
    codes = ["financial", "behaviour", "information", "position", "resources"][: len(per_type)]
    organisations = {}
    for j in range(3):
        organisations[str(100 + j)] = {
            "reports": {
                "total": sum(row[j] for row in per_type),
                "by_type": {code: row[j] for code, row in zip(codes, per_type, strict=False)},
                "by_kind": {},
            },
            "investigations": funnel[1] if j == 0 else 0,
            "established": {
                "total": funnel[2] if j == 0 else 0,
                "by_type": {code: row[j] for code, row in zip(codes, per_type, strict=False)},
            },
            "measures": {"fine": funnel[3] if j == 0 else 0},
            "criminal_complaints": funnel[4] if j == 0 else 0,
            "open": per_type[0][j],
            "acknowledged_in_time": funnel[1] if j == 0 else 0,
            "fed_back_in_time": funnel[2] if j == 0 else 0,
            "duration": {"closed": funnel[2] if j == 0 else 0, "median": None, "p90": None},
        }
    names = {pk: f"Org {pk}" for pk in organisations}
    original = published._names
    published._names = lambda ids: {pk: names.get(pk, pk) for pk in ids}
    try:
        data = published.build(
            {"organisations": organisations, "outside": {}, "sector": {}}, 2024, threshold=5
        )
    finally:
        published._names = original
    for table in data.tables:
        assert _recoverable(table) == [], table.key
        for row in table.all_rows():
            for cell in row.all_cells():
                if 0 < cell.value < 5:
                    assert cell.suppressed == PRIMARY


TYPES = ["financial", "behaviour", "information", "position"]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["bzk", "fin"]),
            st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_no_suppressed_cell_recoverable_from_random_entries(orgs, entries):
    """Random entry sets, through the cells and the page's table builder."""
    from integriteit.registry import cells
    from integriteit.registry.models import Entry

    Entry.objects.all().delete()
    for org, types, investigated in entries:
        add_entry(
            orgs[org],
            D(2024, 3, 1),
            violation_types=types,
            investigated=investigated,
            findings={types[0]: True} if investigated else {},
        )
    ids = [orgs["bzk"].pk, orgs["fin"].pk]
    many = cells.cells_of_many(ids, 2024)
    publication = {
        "organisations": {str(pk): c for pk, c in many.items()},
        "outside": {},
        "sector": cells.total(many.values(), 2024, D(2025, 1, 31)),
    }
    data = published.build(publication, 2024, threshold=5)
    for table in data.tables:
        assert _recoverable(table) == [], table.key
        for row in table.all_rows():
            for cell in row.all_cells():
                if 0 < cell.value < 5:
                    assert cell.suppressed == PRIMARY
        exported = [v for line in table.export_rows()[1:] for v in line[1:]]
        shown = [c.display(5) for row in table.all_rows() for c in row.all_cells()]
        assert [str(v) for v in exported] == shown


def _sector(year, version, by_type, total):
    from integriteit.registry import cells

    c = cells._empty(year, D(year + 1, 1, 31))
    c["versions"]["violation_type"] = version
    c["reports"]["total"] = total
    c["reports"]["by_type"] = by_type
    return c


def test_year_on_year_across_a_list_change(people):
    before = _sector(2023, "2022", {"financial": 20, "other": 9}, 29)
    after = _sector(2024, "2024", {"financial": 25, "position": 8}, 33)
    org = str(Organisation.objects.get(slug="bzk").pk)
    data = published.build(
        {"organisations": {org: after}, "outside": {}, "sector": after},
        2024,
        previous={"organisations": {org: before}, "outside": {}, "sector": before},
        threshold=5,
    )
    labels = published._type_labels(["financial", "position"], 2024)
    changes = dict(data.year_on_year)
    assert changes[labels["financial"]] == "+5"
    assert changes[labels["position"]] == gettext_nl("not comparable")
    assert len(data.notes) == 1


def gettext_nl(message):
    with translation.override("nl"):
        return translation.gettext(message)


def test_reference_date(orgs, users, staff_client):
    annual_return = returns.open_return(users["fin_coordinator"], orgs["fin"], 2024)
    client = staff_client(users["fin_coordinator"])
    url = reverse("registry:return_reference_date", args=[annual_return.pk])
    client.post(url, {"reference_date": "2024-06-30"})  # before the year's end: refused
    annual_return.refresh_from_db()
    assert annual_return.reference_date == D(2025, 1, 31)
    client.post(url, {"reference_date": "2025-02-15"})
    annual_return.refresh_from_db()
    assert annual_return.reference_date == D(2025, 2, 15)
    other = staff_client(users["government"])
    assert other.post(url, {"reference_date": "2025-03-01"}).status_code == 404


def _year_of(year: int, counts: dict[str, int], version: str = "2024") -> dict:
    """Publication cells of `year`: per organisation (id as text) its number of reports, all
    financial."""
    from integriteit.registry import cells

    organisations = {pk: _sector(year, version, {"financial": n}, n) for pk, n in counts.items()}
    return {
        "organisations": organisations,
        "outside": {},
        "sector": cells.total(organisations.values(), year, D(year + 1, 1, 31)),
    }


def test_a_filtered_page_shows_no_cell_the_whole_page_hides(orgs):
    """BZK's 3 reports are under the threshold, so FIN's 9 is hidden beside them (the total
    would give BZK's away). The page filtered on FIN shows FIN's column of the whole table, as
    hidden as it is there, not a table of FIN alone suppressed on its own."""
    bzk, fin = str(orgs["bzk"].pk), str(orgs["fin"].pk)
    year = _year_of(2024, {bzk: 3, fin: 9})
    whole = published.build(year, 2024, threshold=5)
    assert [c.display(5) for c in whole.table("funnel").row(fin).cells][:1] == ["*"]
    assert whole.table("types").row("financial").cells[1].display(5) == "*"
    filtered = published.build(year, 2024, organisation=fin, threshold=5)
    for key in ("funnel", "types", "kinds"):
        table = filtered.table(key)
        shown = [c for _label, cells in table.display_rows() for c in cells]
        assert "9" not in shown, key
    assert filtered.table("funnel").row(fin).cells[0].display(5) == "*"
    assert [rate.display for rate in filtered.rates] == ["–"]


def test_year_on_year_compares_the_organisation_filtered_on(orgs):
    bzk, fin = str(orgs["bzk"].pk), str(orgs["fin"].pk)
    before, now = _year_of(2023, {bzk: 20, fin: 10}), _year_of(2024, {bzk: 30, fin: 12})
    sector = published.build(now, 2024, previous=before, threshold=5)
    assert [change for _label, change in sector.year_on_year] == ["+12", "+12"]
    filtered = published.build(now, 2024, organisation=fin, previous=before, threshold=5)
    assert [change for _label, change in filtered.year_on_year] == ["+2", "+2"]
    assert filtered.year_on_year_note == ""


def test_year_on_year_of_an_organisation_without_a_return_the_year_before(orgs, users):
    bzk, fin = str(orgs["bzk"].pk), str(orgs["fin"].pk)
    before, now = _year_of(2023, {bzk: 20}), _year_of(2024, {bzk: 30, fin: 12})
    filtered = published.build(now, 2024, organisation=fin, previous=before, threshold=5)
    assert filtered.year_on_year == []
    assert "2023" in filtered.year_on_year_note and "FIN" in filtered.year_on_year_note
    # The whole sector still compares, with a note that FIN is only in one of the years.
    sector = published.build(now, 2024, previous=before, threshold=5)
    assert [change for _label, change in sector.year_on_year] == ["+22", "+22"]
    assert any("FIN" in note for note in sector.notes)
    # On the page and in the CSV.
    from integriteit.registry.models import Publication

    for year, cells in ((2023, before), (2024, now)):
        Publication.objects.create(
            year=year, cells=cells, published_at=timezone.now(), published_by=users["government"]
        )
    client = testing.verified_client(users["employee"])
    page = client.get(reverse("registry:figures"), {"organisation": fin})
    assert b'data-year-on-year="none"' in page.content
    assert page.context["figures"].year_on_year == []
    csv_text = client.get(reverse("registry:figures_csv"), {"organisation": fin}).content.decode()
    assert page.context["figures"].year_on_year_note in csv_text


def test_year_on_year_hides_a_change_that_would_give_a_hidden_figure_of_the_year_before(orgs):
    """In 2023 FIN's 9 reports were hidden beside BZK's 3: the change of FIN's reports would
    give them away (12 - change), so it is hidden too."""
    bzk, fin = str(orgs["bzk"].pk), str(orgs["fin"].pk)
    before, now = _year_of(2023, {bzk: 3, fin: 9}), _year_of(2024, {bzk: 20, fin: 12})
    filtered = published.build(now, 2024, organisation=fin, previous=before, threshold=5)
    assert [change for _label, change in filtered.year_on_year] == ["*", "*"]
    bzk_only = published.build(now, 2024, organisation=bzk, previous=before, threshold=5)
    assert [change for _label, change in bzk_only.year_on_year] == ["*", "*"]  # 3 is under 5


def test_a_count_in_two_tables_is_hidden_in_both(orgs):
    """FIN's 8 reports are all of one kind, beside BZK's 3 of that kind: the kinds table hides
    FIN's 8 and with it both organisations' totals, which are their counts in the funnel too.
    Suppressed apart, the funnel showed 19 and 8, and 11 - 8 gave BZK's 3 away. Suppressed
    together, a count is hidden in both tables or in neither."""
    from integriteit.registry import cells

    bzk, fin = str(orgs["bzk"].pk), str(orgs["fin"].pk)
    kinds = ["integrity_violation", "wrongdoing", "undesirable_behaviour", "handling_complaint"]
    per_kind = {bzk: [6, 5, 3, 5], fin: [0, 0, 8, 0]}
    organisations = {}
    for pk, counts in per_kind.items():
        c = _sector(2024, "2024", {"financial": sum(counts)}, sum(counts))
        c["reports"]["by_kind"] = dict(zip(kinds, counts, strict=True))
        organisations[pk] = c
    data = published.build(
        {
            "organisations": organisations,
            "outside": {},
            "sector": cells.total(organisations.values(), 2024, D(2025, 1, 31)),
        },
        2024,
        threshold=5,
    )
    funnel, by_kind = data.table("funnel"), data.table("kinds")
    assert by_kind.row("undesirable_behaviour").cells[0].display(5) == "<5"
    assert by_kind.totals is not None and funnel.totals is not None
    for j, pk in enumerate([bzk, fin]):
        assert funnel.row(pk).cells[0].shown == by_kind.totals.cells[j].shown, pk
    assert funnel.totals.cells[0].shown == by_kind.totals.total.shown  # type: ignore[union-attr]
    assert _recoverable(funnel) == [] and _recoverable(by_kind) == []
