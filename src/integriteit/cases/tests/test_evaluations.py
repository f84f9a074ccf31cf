"""Evaluation answers are shown only aggregated, per organisation, with small groups suppressed."""

import csv
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.cases.models import Evaluation
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _answered(make_report, count, organisation="bzk", **answers):
    for _ in range(count):
        report, _code = make_report(organisation)
        Evaluation.objects.create(
            report=report,
            invited_at=timezone.now(),
            answered_at=timezone.now(),
            felt_safe=answers.get("felt_safe", 4),
            kept_informed=answers.get("kept_informed", 2),
            taken_seriously=answers.get("taken_seriously", 5),
            would_report_again=answers.get("again", True),
        )


def test_small_groups_are_suppressed(people, staff_client, make_report, settings):
    settings.FIGURES_MIN_CELL = 5
    _answered(make_report, 4)
    page = staff_client(people["coordinator"]).get("/en/behandeling/evaluaties/")
    body = page.content.decode()
    assert page.status_code == 200 and "Too few answers to show" in body
    assert "4.0" not in body
    # The counts go through the same suppression: 4 invited and 4 answered show as "<5".
    table = body[body.index("</figure>") :]
    row = re.search(r"Binnenlandse Zaken[^<]*</th>(.*?)</tr>", table, re.S)
    assert row is not None
    assert re.findall(r'<td class="utrecht-table__cell">([^<]*)</td>', row.group(1))[:2] == [
        "&lt;5",
        "&lt;5",
    ]


def test_averages_per_organisation(people, staff_client, make_report, settings):
    settings.FIGURES_MIN_CELL = 5
    _answered(make_report, 4, felt_safe=4)
    _answered(make_report, 1, felt_safe=2, again=False)
    body = staff_client(people["coordinator"]).get("/en/behandeling/evaluaties/").content.decode()
    assert "3.6" in body  # (4*4 + 2) / 5
    assert "80%" in body
    # Another organisation's coordinator sees only their own organisation.
    fin = staff_client(people["coordinator-fin"]).get("/en/behandeling/evaluaties/")
    assert "Binnenlandse Zaken" not in fin.content.decode()


def test_government_wide_coordinator_sees_every_organisation(people, staff_client):
    body = (
        staff_client(people["bzk-coordinator"]).get("/en/behandeling/evaluaties/").content.decode()
    )
    for organisation in Organisation.objects.filter(outside_bzk_coordination=False):
        assert organisation.name in body


@pytest.mark.parametrize("username", ["employee", "manager", "auditor", "admin", "guide"])
def test_others_get_nothing(people, staff_client, username):
    assert RoleAssignment.objects.filter(user=people[username], role=Role.COORDINATOR).count() == 0
    assert staff_client(people[username]).get("/behandeling/evaluaties/").status_code == 404


def test_the_chart_shows_the_share_with_its_data_table(people, staff_client, make_report, settings):
    settings.FIGURES_MIN_CELL = 5
    _answered(make_report, 4, again=True)
    _answered(make_report, 1, again=False)
    body = staff_client(people["coordinator"]).get("/en/behandeling/evaluaties/").content.decode()
    chart = body[body.index("<figure") : body.index("</figure>")]
    assert 'role="img"' in chart and "<rect" in chart
    assert re.search(r'scope="row">[^<]*Binnenlandse Zaken[^<]*</th><td[^>]*>80%</td>', chart)


def test_no_bar_for_a_suppressed_group(people, staff_client, make_report, settings):
    settings.FIGURES_MIN_CELL = 5
    _answered(make_report, 4)
    body = staff_client(people["coordinator"]).get("/en/behandeling/evaluaties/").content.decode()
    chart = body[body.index("<figure") : body.index("</figure>")]
    assert "<rect" not in chart and not re.search(r">\d+%<", chart)


@pytest.mark.parametrize("answered", [4, 5], ids=["suppressed", "shown"])
def test_csv_and_xlsx_hold_the_suppressed_figures(
    people, staff_client, make_report, settings, answered
):
    settings.FIGURES_MIN_CELL = 5
    _answered(make_report, answered, felt_safe=4, again=True)
    client = staff_client(people["coordinator"])
    response = client.get("/behandeling/evaluaties/cijfers.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="procesevaluatie-alle-jaren.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    [line] = [
        r for r in csv.reader(io.StringIO(response.content.decode())) if "Binnenlandse" in r[0]
    ]
    expected = (
        ["<5", "<5", "", "", "", ""] if answered == 4 else ["5", "5", "4.0", "2.0", "5.0", "1.0"]
    )
    assert line[1:] == expected
    xlsx = client.get("/behandeling/evaluaties/cijfers.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    [cells] = [r for r in sheet.iter_rows(values_only=True) if "Binnenlandse" in str(r[0])]
    assert list(cells[1:3]) == (["<5", "<5"] if answered == 4 else [5, 5])


def test_a_download_for_a_wrong_year_is_all_years(people, staff_client):
    response = staff_client(people["coordinator"]).get("/behandeling/evaluaties/cijfers.csv?jaar=x")
    assert response.status_code == 200
    assert "alle-jaren" in response["Content-Disposition"]


@pytest.mark.parametrize("username", ["employee", "auditor", "admin"])
def test_others_get_no_download(people, staff_client, username):
    client = staff_client(people[username])
    assert client.get("/behandeling/evaluaties/cijfers.csv").status_code == 404
    assert client.get("/behandeling/evaluaties/cijfers.xlsx").status_code == 404
