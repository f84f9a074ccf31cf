"""The advisers' annual report (issue 5 §5): figures equal the log, small cells suppressed
(configurable, default 5) with complementary suppression, exports, access per role, and a
constant number of queries."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from integriteit.advisers import annual
from integriteit.advisers.models import (
    AnnualReport,
    ConfidentialAdviser,
    ConversationLogEntry,
    InterimSignal,
)
from integriteit.figures.suppression import COMPLEMENTARY, PRIMARY
from integriteit.figures.tables import build_table
from integriteit.organisations.models import Organisation, Unit
from integriteit.testing import table_holds

YEAR = 2025


def adviser_record(user) -> ConfidentialAdviser:
    adviser, _ = ConfidentialAdviser.objects.get_or_create(
        user=user, defaults={"kind": "internal", "themes": "both"}
    )
    return adviser


def log(
    adviser,
    organisation,
    n,
    *,
    year=YEAR,
    theme="financial",
    unit=None,
    referrals=(),
    conversations=1,
    followed=False,
):
    ConversationLogEntry.objects.bulk_create(
        ConversationLogEntry(
            adviser=adviser,
            organisation=organisation,
            held_on=datetime.date(year, 1 + i % 12, 1 + i % 28),
            theme=theme,
            unit=unit,
            referrals=list(referrals),
            conversations=conversations,
            report_followed=followed,
        )
        for i in range(n)
    )


def cell(data, table, row, year):
    t = data.table(table)
    r = next(r for r in t.all_rows() if r.key == row)
    return r.cells[t.columns.index(str(year))]


@pytest.fixture
def people(people):
    """The services here run as these users, after their second factor (as the OTP middleware
    leaves them); the pages get their own logged-in clients."""
    for user in people.values():
        user.is_verified = lambda: True
    return people


@pytest.fixture
def bzk(people):
    return Organisation.objects.get(slug="bzk")


@pytest.fixture
def filled(people, bzk):
    adviser = adviser_record(people["adviser"])
    unit = Unit.objects.filter(organisation=bzk).first()
    log(adviser, bzk, 12, theme="financial", conversations=2, referrals=["raba"])
    log(adviser, bzk, 7, theme="bullying", unit=unit, referrals=["raba", "police"], followed=True)
    log(adviser, bzk, 3, theme="discrimination", unit=unit)
    log(adviser, bzk, 9, theme="financial", year=YEAR - 1)
    log(adviser, bzk, 6, theme="bullying", year=YEAR - 4, unit=unit)
    log(adviser, bzk, 50, theme="financial", year=YEAR - 5)  # outside the trend window
    other = Organisation.objects.get(slug="fin")
    log(adviser, other, 40, theme="bullying")  # another organisation
    return adviser


def test_figures_equal_the_log(filled, bzk, settings):
    settings.FIGURES_MIN_CELL = 1  # nothing suppressed: compare every figure
    data = annual.figures(bzk, YEAR)
    assert data.years == [YEAR - 4, YEAR - 3, YEAR - 2, YEAR - 1, YEAR]
    for year in data.years:
        entries = ConversationLogEntry.objects.filter(organisation=bzk, held_on__year=year)
        assert cell(data, "summary", "entries", year).value == entries.count()
        assert cell(data, "summary", "conversations", year).value == sum(
            e.conversations for e in entries
        )
        assert (
            cell(data, "summary", "reports_followed", year).value
            == entries.filter(report_followed=True).count()
        )
        for theme in ("financial", "bullying", "discrimination", "other"):
            assert (
                cell(data, "theme_entries", theme, year).value
                == entries.filter(theme=theme).count()
            )
        assert (
            cell(data, "level_entries", "unit", year).value
            == entries.filter(unit__isnull=False).count()
        )
        assert (
            cell(data, "level_entries", "organisation", year).value
            == entries.filter(unit__isnull=True).count()
        )
        for code in ("raba", "police", "ombudsman"):
            assert cell(data, "referral_entries", code, year).value == sum(
                code in e.referrals for e in entries
            )
    assert cell(data, "theme_conversations", "financial", YEAR).value == 24
    assert cell(data, "referral_entries", "raba", YEAR).value == 19
    assert cell(data, "theme_entries", "total", YEAR).value == 22
    assert cell(data, "level_entries", "total", YEAR - 4).value == 6
    totals = data.table("theme_entries").totals
    assert totals is not None and totals.total is not None
    assert totals.total.value == 22 + 9 + 6


def test_cells_under_the_threshold_are_suppressed(filled, bzk, settings):
    data = annual.figures(bzk, YEAR)  # default 5
    assert data.threshold == 5
    discrimination = cell(data, "theme_entries", "discrimination", YEAR)
    assert discrimination.suppressed == PRIMARY
    assert discrimination.display(5) == "<5"
    assert cell(data, "theme_entries", "bullying", YEAR).suppressed  # complementary
    assert not cell(data, "theme_entries", "financial", YEAR).suppressed
    assert cell(data, "summary", "entries", YEAR).display(5) == "22"

    settings.FIGURES_MIN_CELL = 10
    data = annual.figures(bzk, YEAR)
    assert cell(data, "theme_entries", "bullying", YEAR).suppressed == PRIMARY
    assert cell(data, "summary", "entries", YEAR - 1).display(10) == "<10"
    settings.FIGURES_MIN_CELL = 2
    data = annual.figures(bzk, YEAR)
    assert not cell(data, "theme_entries", "discrimination", YEAR).suppressed


def test_complementary_suppression_hides_what_a_total_would_reveal():
    table = build_table(
        "t",
        "t",
        ["a", "b"],
        [("x", "x", [3, 20]), ("y", "y", [10, 30]), ("z", "z", [8, 0])],
        threshold=5,
    )
    x, _y, z = table.rows
    assert x.cells[0].suppressed == PRIMARY
    # Row x: 3 suppressed, so 20 (or the total) must go too; column a: the next smallest, 8.
    assert x.cells[1].suppressed == COMPLEMENTARY or (x.total and x.total.suppressed)
    assert z.cells[0].suppressed == COMPLEMENTARY


def exported_lines(data) -> list[list[str]]:
    return [[str(v) for v in line] for line in annual.export_rows(data)]


def test_csv_matches_the_figures(filled, bzk, people, staff_client):
    report = annual.create_report(people["adviser"], bzk, YEAR)
    response = staff_client(people["coordinator"]).get(
        f"/vertrouwenspersonen/jaarverslag/{report.pk}/cijfers.csv"
    )
    assert response["Content-Disposition"] == f'attachment; filename="jaarverslag-bzk-{YEAR}.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    data = annual.figures(bzk, YEAR)
    for table in data.tables:
        at = next(i for i, r in enumerate(rows) if r and r[0] == str(table.caption))
        assert rows[at][1 : 1 + len(data.years)] == [str(y) for y in data.years]
        for offset, (label, cells) in enumerate(table.display_rows(), start=1):
            assert rows[at + offset] == [label, *cells]
    theme = data.table("theme_entries")
    financial = next(r for r in theme.rows if r.key == "financial")
    discrimination = next(r for r in theme.rows if r.key == "discrimination")
    assert [c.value for c in financial.cells] == [0, 0, 0, 9, 12]
    assert discrimination.cells[-1].display(5) == "<5"
    assert rows == exported_lines(data)


def test_xlsx_holds_the_same_suppressed_figures(filled, bzk, people, staff_client):
    from openpyxl import load_workbook

    report = annual.create_report(people["adviser"], bzk, YEAR)
    response = staff_client(people["coordinator"]).get(
        f"/vertrouwenspersonen/jaarverslag/{report.pk}/cijfers.xlsx"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="jaarverslag-bzk-{YEAR}.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    expected = exported_lines(annual.figures(bzk, YEAR))
    assert [line[: len(want)] for line, want in zip(lines, expected, strict=True)] == expected
    assert any("<5" in line for line in lines)
    values = [v for row in sheet.iter_rows(min_row=4, values_only=True) for v in row[1:]]
    assert 12 in values and "12" not in values  # shown counts are numbers, not text


def test_the_page_shows_charts_with_their_data_and_suppression(filled, bzk, people, staff_client):
    report = annual.create_report(people["adviser"], bzk, YEAR)
    page = staff_client(people["coordinator"]).get(f"/vertrouwenspersonen/jaarverslag/{report.pk}/")
    html = page.content.decode()
    assert html.count('role="img"') == 2 and html.count("int-chart__data") == 2
    # This year's entries by theme: discrimination (3) has no bar, only its marker.
    chart = html[html.index('id="chart-theme_entries-4-caption"') :]
    chart = chart[: chart.index("</figure>")]
    assert re.search(r"<text[^>]*>&lt;5</text>", chart)
    assert "<rect" in chart and " style=" not in html


def test_lifecycle_pdf_and_mail(filled, bzk, people, staff_client):
    adviser = staff_client(people["adviser"])
    response = adviser.post(
        "/vertrouwenspersonen/jaarverslag/", {"organisation": bzk.pk, "year": YEAR}
    )
    report = AnnualReport.objects.get(organisation=bzk, year=YEAR)
    assert response.status_code == 302
    detail = f"/vertrouwenspersonen/jaarverslag/{report.pk}/"
    adviser.post(detail + "aanbeveling/", {"text": "Train managers on bullying."})
    recommendation = report.recommendations.get()
    adviser.post(detail + "versturen/")
    report.refresh_from_db()
    assert report.sent_to_authority_at
    assert [m.to for m in mail.outbox] == [[people["authority"].email]]
    assert "bullying" not in mail.outbox[0].body

    authority = staff_client(people["authority"])
    page = authority.get(detail)
    assert page.status_code == 200 and "<caption" in page.content.decode()
    authority.post(
        f"/vertrouwenspersonen/jaarverslag/aanbeveling/{recommendation.pk}/reactie/",
        {"text": "Agreed."},
    )
    authority.post(
        f"/vertrouwenspersonen/jaarverslag/aanbeveling/{recommendation.pk}/actie/",
        {"description": "Training", "owner": "HR", "due_on": "2020-01-01"},
    )
    recommendation.refresh_from_db()
    assert annual.recommendations_of(report)[0].response == "Agreed."
    action = recommendation.actions.get()
    assert annual.action_state(action) == "overdue"
    authority.post(f"/vertrouwenspersonen/jaarverslag/actie/{action.pk}/gereed/")
    action.refresh_from_db()
    assert annual.action_state(action) == "done"

    pdf = authority.get(detail + "jaarverslag.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Train managers on bullying." in text and "Agreed." in text and "<5" in text
    csv_response = authority.get(detail + "cijfers.csv")
    assert "<5" in csv_response.content.decode()


def test_access_per_role(filled, bzk, people, staff_client):
    report = annual.create_report(people["adviser"], bzk, YEAR)
    detail = f"/vertrouwenspersonen/jaarverslag/{report.pk}/"
    for username in ("adviser", "authority", "coordinator"):
        assert staff_client(people[username]).get(detail).status_code == 200, username
    for username in ("employee", "coordinator-fin", "auditor", "admin", "investigator"):
        client = staff_client(people[username])
        assert client.get(detail).status_code == 404, username
        assert client.get(detail + "cijfers.csv").status_code == 404, username
    # The coordinator reads but neither edits nor responds; the authority does not edit.
    coordinator = staff_client(people["coordinator"])
    assert coordinator.post(detail + "aanbeveling/", {"text": "x"}).status_code == 404
    assert staff_client(people["authority"]).post(detail + "versturen/").status_code == 404
    recommendation = annual.add_recommendation(people["adviser"], report, "r")
    respond = f"/vertrouwenspersonen/jaarverslag/aanbeveling/{recommendation.pk}/reactie/"
    annual.send_to_authority(people["adviser"], report)
    assert coordinator.post(respond, {"text": "x"}).status_code == 404
    assert staff_client(people["adviser"]).post(respond, {"text": "x"}).status_code == 404
    # Never a single entry on the page: no dates of entries, only aggregates.
    page = coordinator.get(detail).content.decode()
    assert f"{YEAR}-01-01" not in page


def test_interim_signals(people, bzk, staff_client):
    adviser_record(people["adviser"])
    adviser = staff_client(people["adviser"])
    adviser.post("/vertrouwenspersonen/signalen/", {"organisation": bzk.pk, "text": "Trend X"})
    signal = InterimSignal.objects.get()
    assert mail.outbox and "Trend X" not in mail.outbox[0].body
    authority = staff_client(people["authority"])
    assert "Trend X" in authority.get("/vertrouwenspersonen/signalen/").content.decode()
    authority.post("/vertrouwenspersonen/signalen/", {"signal": signal.pk, "text": "On it"})
    signal.refresh_from_db()
    assert annual.open_signal(signal).response == "On it" and signal.responded_at
    assert staff_client(people["employee"]).get("/vertrouwenspersonen/signalen/").status_code == 404


def test_query_count_does_not_grow(people, bzk):
    adviser = adviser_record(people["adviser"])
    unit = Unit.objects.filter(organisation=bzk).first()
    log(adviser, bzk, 20, referrals=["raba"])
    with CaptureQueriesContext(connection) as small:
        annual.figures(bzk, YEAR)
    for year in range(YEAR - 4, YEAR + 1):
        log(adviser, bzk, 36, year=year, theme="bullying", unit=unit, referrals=["police"])
    assert ConversationLogEntry.objects.count() == 200
    with CaptureQueriesContext(connection) as large:
        annual.figures(bzk, YEAR)
    assert len(small.captured_queries) == len(large.captured_queries) == 1


def test_recommendations_responses_actions_and_signals_are_not_stored_in_the_clear(people, bzk):
    """Issue 8 item 3: the texts were plain columns; now they are sealed, the report's under its
    own data key and a signal under its own (docs/decisions/0013)."""
    report = annual.create_report(people["adviser"], bzk, YEAR)
    recommendation = annual.add_recommendation(people["adviser"], report, "Aanbeveling Zeldzaam1")
    annual.send_to_authority(people["adviser"], report)
    annual.respond(people["authority"], recommendation, "Reactie Zeldzaam2")
    annual.add_action(
        people["authority"],
        recommendation,
        "Actie Zeldzaam3",
        "Eigenaar Zeldzaam4",
        datetime.date.today(),
    )
    signal = annual.raise_signal(people["adviser"], bzk, "Signaal Zeldzaam5")
    annual.answer_signal(people["authority"], signal, "Antwoord Zeldzaam6")
    for table in (
        "advisers_annualreport",
        "advisers_recommendation",
        "advisers_followupaction",
        "advisers_interimsignal",
    ):
        for number in range(1, 7):
            assert not table_holds(table, f"Zeldzaam{number}"), (table, number)

    # What the pages show is opened from the sealed columns.
    [shown] = annual.recommendations_of(AnnualReport.objects.get(pk=report.pk))
    assert (shown.text, shown.response) == ("Aanbeveling Zeldzaam1", "Reactie Zeldzaam2")
    assert [(a.description, a.owner) for a in shown.actions] == [
        ("Actie Zeldzaam3", "Eigenaar Zeldzaam4")
    ]
    opened = annual.open_signal(InterimSignal.objects.get(pk=signal.pk))
    assert (opened.text, opened.response) == ("Signaal Zeldzaam5", "Antwoord Zeldzaam6")


def test_a_recommendation_moved_to_another_annual_report_does_not_open(people, bzk):
    from integriteit.advisers.models import Recommendation
    from integriteit.crypto.envelope import DecryptionError

    first = annual.create_report(people["adviser"], bzk, YEAR)
    second = annual.create_report(people["adviser"], bzk, YEAR - 1)
    moved = annual.add_recommendation(people["adviser"], first, "Van het eerste verslag")
    Recommendation.objects.filter(pk=moved.pk).update(annual_report=second)
    with pytest.raises(DecryptionError):
        annual.recommendations_of(AnnualReport.objects.get(pk=second.pk))
