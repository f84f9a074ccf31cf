"""The risk analysis pages (issue 12 §1, §6): the organisation's coordinator writes, its
management and competent authority read, everyone else finds nothing (404), also with a
tampered id; bad input is refused with the reason beside the field and what was typed kept."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integriteit.cases.tests.flow import verified
from integriteit.prevention import services_analyses as services
from integriteit.prevention.constants_analyses import MeasureKind, ScoreKind
from integriteit.prevention.models import Acceptance, Analysis, Measure, Process, Risk, Score

from .analyses_helpers import make_analysis, make_risk

pytestmark = pytest.mark.django_db

LIST = reverse("prevention:analyses:list")
READERS = ("coordinator", "manager", "director", "authority")
NOBODY = (
    "employee",
    "adviser",
    "guide",
    "investigator",
    "bzk-coordinator",
    "auditor",
    "admin",
    "coordinator-fin",
    "employee-fin",
)


@pytest.fixture
def risk(people):
    coordinator = verified(people["coordinator"])
    risk = make_risk(coordinator)
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 4, 3)
    services.save_measure(
        coordinator,
        risk.process.analysis,
        {"kind": MeasureKind.FOUR_EYES, "description": "Vier ogen", "status": "in_place"},
        [risk],
    )
    services.score_risk(coordinator, risk, ScoreKind.RESIDUAL, 2, 3)
    return risk


def _pages(risk) -> list[str]:
    analysis = risk.process.analysis
    return [
        reverse("prevention:analyses:detail", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:analyses:heat_map", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:analyses:export", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:analyses:comparison", kwargs={"analysis_id": analysis.pk}),
    ]


def _forms(risk) -> list[str]:
    analysis = risk.process.analysis
    measure = analysis.measures.get()
    return [
        reverse("prevention:analyses:edit", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:analyses:process_new", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:analyses:process_edit", kwargs={"process_id": risk.process.pk}),
        reverse("prevention:analyses:risk_new", kwargs={"process_id": risk.process.pk}),
        reverse("prevention:analyses:risk_edit", kwargs={"risk_id": risk.pk}),
        reverse("prevention:analyses:score", kwargs={"risk_id": risk.pk}),
        reverse("prevention:analyses:measure_new", kwargs={"analysis_id": analysis.pk}),
        reverse("prevention:analyses:measure_edit", kwargs={"measure_id": measure.pk}),
        reverse("prevention:analyses:accept", kwargs={"risk_id": risk.pk}),
        reverse("prevention:analyses:review", kwargs={"risk_id": risk.pk}),
        reverse("prevention:analyses:next_year", kwargs={"analysis_id": analysis.pk}),
    ]


def test_readers_read_and_only_the_coordinator_writes(people, staff_client, risk):
    for username in READERS:
        client = staff_client(people[username])
        assert client.get(LIST).status_code == 200, username
        for url in _pages(risk):
            assert client.get(url).status_code == 200, (username, url)
        for url in _forms(risk):
            expected = 200 if username == "coordinator" else 404
            assert client.get(url).status_code == expected, (username, url)
            if username != "coordinator":
                assert client.post(url, {"title": "X"}).status_code == 404, (username, url)


def test_everyone_else_finds_nothing(people, staff_client, risk):
    for username in NOBODY:
        client = staff_client(people[username])
        listed = client.get(LIST)
        if username == "coordinator-fin":  # her own organisation's list, without BZK's
            assert f'data-analysis="{risk.process.analysis_id}"' not in listed.content.decode()
        else:
            assert listed.status_code == 404, username
        for url in _pages(risk) + _forms(risk):
            assert client.get(url).status_code == 404, (username, url)
        snapshot = reverse(
            "prevention:analyses:take_snapshot", kwargs={"analysis_id": risk.process.analysis_id}
        )
        for url in [*_forms(risk), snapshot]:
            assert client.post(url, {"confirm": "yes"}).status_code == 404, (username, url)
    assert not risk.process.analysis.snapshots.exists()


def test_the_manager_sees_no_edit_links(people, staff_client, risk):
    page = staff_client(people["manager"]).get(_pages(risk)[0]).content.decode()
    assert reverse("prevention:analyses:score", kwargs={"risk_id": risk.pk}) not in page
    assert "snapshot-form" not in page


@pytest.mark.parametrize("tampered", ["987654321", "0"])
def test_a_tampered_id_is_404(people, staff_client, risk, tampered):
    client = staff_client(people["coordinator"])
    for name, kwarg in (
        ("prevention:analyses:detail", "analysis_id"),
        ("prevention:analyses:process_edit", "process_id"),
        ("prevention:analyses:score", "risk_id"),
        ("prevention:analyses:measure_edit", "measure_id"),
        ("prevention:analyses:snapshot", "snapshot_id"),
    ):
        assert client.get(reverse(name, kwargs={kwarg: tampered})).status_code == 404


def test_an_analysis_of_another_organisation_is_404(people, staff_client):
    fin = make_analysis(people["coordinator"])
    Analysis.objects.filter(pk=fin.pk).update(
        organisation=people["coordinator-fin"].roles.get().organisation
    )
    url = reverse("prevention:analyses:detail", kwargs={"analysis_id": fin.pk})
    assert staff_client(people["coordinator"]).get(url).status_code == 404
    assert staff_client(people["coordinator-fin"]).get(url).status_code == 200


def test_the_empty_list_and_pagination(people, staff_client):
    client = staff_client(people["coordinator"])
    page = client.get(LIST).content.decode()
    assert 'id="analyses-empty"' in page and 'id="new-analysis"' in page
    for number in range(27):
        make_analysis(people["coordinator"], title=f"Analyse {number:02}")
    first = client.get(LIST).content.decode()
    assert first.count("data-analysis=") == 25 and "int-pagination" in first
    assert client.get(LIST + "?page=2").content.decode().count("data-analysis=") == 2
    assert client.get(LIST + "?page=x").status_code == 200


def test_a_coordinator_creates_an_analysis_and_its_content(people, staff_client):
    client = staff_client(people["coordinator"])
    bzk = people["coordinator"].roles.get().organisation
    response = client.post(
        reverse("prevention:analyses:new"),
        {
            "organisation": bzk.pk,
            "title": "Analyse Inkoop",
            "year": "2026",
            "analysed_on": "2026-03-01",
            "object_kind": "process",
            "status": "draft",
        },
    )
    analysis = Analysis.objects.get(title="Analyse Inkoop")
    assert response.status_code == 302 and response["Location"].endswith(f"/{analysis.pk}/")
    client.post(
        reverse("prevention:analyses:process_new", kwargs={"analysis_id": analysis.pk}),
        {
            "name": "Inkoop",
            "area": "procurement",
            "activities": ["contracting", "paying"],
            "properties": ["money"],
            "complexity": "2",
            "change": "0",
            "management": "1",
            "personnel": "0",
            "history": "0",
        },
    )
    process = Process.objects.get(analysis=analysis)
    assert process.activities == ["contracting", "paying"] and process.factor_total == 3
    response = client.post(
        reverse("prevention:analyses:risk_new", kwargs={"process_id": process.pk}),
        {"title": "Bevoordeling", "owner": "Hoofd inkoop", "source": "workshop"},
    )
    risk = Risk.objects.get(process=process)
    assert response["Location"] == reverse("prevention:analyses:score", kwargs={"risk_id": risk.pk})
    response = client.post(
        response["Location"], {"kind": "inherent", "likelihood": "5", "impact": "4"}
    )
    assert response.status_code == 302
    assert Score.objects.get(risk=risk).level_code == "very_high"
    client.post(
        reverse("prevention:analyses:measure_new", kwargs={"analysis_id": analysis.pk}),
        {
            "kind": "separation_of_duties",
            "description": "Functiescheiding",
            "status": "in_place",
            "risks": [risk.pk],
        },
    )
    assert list(Measure.objects.get(analysis=analysis).risks.all()) == [risk]
    page = client.get(reverse("prevention:analyses:detail", kwargs={"analysis_id": analysis.pk}))
    html = page.content.decode()
    assert 'data-level="very_high"' in html
    assert 'data-heat-map="before"' in html and 'data-cell="5-4" data-count="1"' in html


@pytest.mark.parametrize("likelihood, impact", [("9", "3"), ("0", "1"), ("x", "2"), ("", "2")])
def test_a_score_outside_the_matrix_is_refused_with_nothing_lost(
    people, staff_client, likelihood, impact
):
    risk = make_risk(verified(people["coordinator"]))
    url = reverse("prevention:analyses:score", kwargs={"risk_id": risk.pk})
    response = staff_client(people["coordinator"]).post(
        url, {"kind": "residual", "likelihood": likelihood, "impact": impact}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'id="id_likelihood_error"' in html
    assert 'value="residual" id="id_kind_1" checked' in html  # what was chosen is kept
    assert not Score.objects.exists()


def test_an_acceptance_with_a_date_in_the_past_is_refused_with_nothing_lost(
    people, staff_client, risk
):
    url = reverse("prevention:analyses:accept", kwargs={"risk_id": risk.pk})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_client(people["coordinator"]).post(
        url,
        {"decided_by": "Directeur", "reason": "Restrisico klein", "until": yesterday.isoformat()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_until_error"' in html and "Restrisico klein" in html
    assert not Acceptance.objects.exists()
    response = staff_client(people["coordinator"]).post(
        url,
        {
            "decided_by": "Directeur",
            "reason": "Restrisico klein",
            "until": (yesterday + datetime.timedelta(days=100)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Acceptance.objects.get().level_code == "medium"


def test_snapshot_and_next_year_need_confirmation(people, staff_client, risk):
    client = staff_client(people["coordinator"])
    analysis = risk.process.analysis
    url = reverse("prevention:analyses:take_snapshot", kwargs={"analysis_id": analysis.pk})
    assert client.post(url, {"label": "2026"}).status_code == 302
    assert not analysis.snapshots.exists()
    response = client.post(url, {"label": "2026", "confirm": "yes"})
    snapshot = analysis.snapshots.get()
    assert response["Location"] == reverse(
        "prevention:analyses:snapshot", kwargs={"snapshot_id": snapshot.pk}
    )
    assert client.get(response["Location"]).status_code == 200
    assert staff_client(people["manager"]).get(response["Location"]).status_code == 200
    assert staff_client(people["coordinator-fin"]).get(response["Location"]).status_code == 404

    url = reverse("prevention:analyses:next_year", kwargs={"analysis_id": analysis.pk})
    assert client.post(url, {"year": analysis.year + 1}).status_code == 200
    assert Analysis.objects.count() == 1
    response = client.post(url, {"year": analysis.year, "confirm": "yes"})
    assert response.status_code == 200 and Analysis.objects.count() == 1
    response = client.post(url, {"year": analysis.year + 1, "confirm": "yes"})
    new = Analysis.objects.get(previous=analysis)
    assert response["Location"] == reverse(
        "prevention:analyses:comparison", kwargs={"analysis_id": new.pk}
    )
    assert 'data-movement="same"' in client.get(response["Location"]).content.decode()


def test_the_register_exports_as_xlsx(people, staff_client, risk):
    response = staff_client(people["manager"]).get(_pages(risk)[2])
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:9] == (
        "Inkoop",
        "Bevoordeling van een leverancier",
        "Hoofd",
        4,
        3,
        "Hoog",
        2,
        3,
        "Midden",
    )
    assert rows[1][9] == "Standaard 5×5 v1"


def test_the_register_loads_in_constant_queries(people, staff_client):
    coordinator = verified(people["coordinator"])
    analysis = make_analysis(coordinator)
    risk = make_risk(coordinator, analysis)
    client = staff_client(people["coordinator"])
    url = reverse("prevention:analyses:detail", kwargs={"analysis_id": analysis.pk})

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 2, 2)
    few = queries()
    for number in range(15):
        more = services.save_risk(coordinator, risk.process, {"title": f"Risico {number}"})
        services.score_risk(coordinator, more, ScoreKind.INHERENT, 3, 2)
        services.save_measure(
            coordinator,
            analysis,
            {"kind": MeasureKind.TRAINING, "description": f"M{number}", "status": "in_place"},
            [more],
        )
        services.score_risk(coordinator, more, ScoreKind.RESIDUAL, 1, 2)
    assert queries() <= few + 2


def test_the_heat_map_counts_in_the_database_as_the_register_does(people, staff_client):
    """heat_counts_of (the heat map page, bench/prevention.py) counts as heat_counts over the
    register: the latest score of each kind, a residual that no longer holds when a measure it
    credited is retired, a risk with only an inherent score, and one without scores."""
    from integriteit.prevention import selectors_analyses as selectors

    coordinator = verified(people["coordinator"])
    analysis = make_analysis(coordinator)
    rescored = make_risk(coordinator, analysis, "Opnieuw gescoord")
    services.score_risk(coordinator, rescored, ScoreKind.INHERENT, 2, 2)
    services.score_risk(coordinator, rescored, ScoreKind.INHERENT, 4, 4)
    voided = make_risk(coordinator, analysis, "Maatregel vervallen")
    services.score_risk(coordinator, voided, ScoreKind.INHERENT, 5, 4)
    measure = services.save_measure(
        coordinator,
        analysis,
        {"kind": MeasureKind.FOUR_EYES, "description": "Vier ogen", "status": "in_place"},
        [voided],
    )
    services.score_risk(coordinator, voided, ScoreKind.RESIDUAL, 2, 3)
    holding = make_risk(coordinator, analysis, "Maatregel werkt")
    services.score_risk(coordinator, holding, ScoreKind.INHERENT, 3, 3)
    services.score_risk(coordinator, holding, ScoreKind.RESIDUAL, 1, 3)
    make_risk(coordinator, analysis, "Nog niet gescoord")
    services.save_measure(
        coordinator,
        analysis,
        {"kind": MeasureKind.FOUR_EYES, "description": "Vier ogen", "status": "retired"},
        [voided],
        measure,
    )
    expected = selectors.heat_counts(selectors.register(analysis))
    assert expected.after[(5, 4)] == 1 and expected.after[(1, 3)] == 1 and expected.unscored == 1
    assert selectors.heat_counts_of(analysis) == expected
    page = staff_client(people["coordinator"]).get(
        reverse("prevention:analyses:heat_map", kwargs={"analysis_id": analysis.pk})
    )
    html = page.content.decode()
    assert 'data-heat-map="after"' in html and 'data-cell="4-4" data-count="1"' in html
