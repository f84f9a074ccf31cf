"""The management report of a risk analysis as PDF (issue 12 §5): what it says (read back with
pypdf), who may have it (the analysis's readers; everyone else and a tampered id 404), its audit
record, and the report of an analysis without risks."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.flow import verified
from integriteit.prevention import services_analyses as services
from integriteit.prevention.constants_analyses import MeasureKind, ScoreKind
from integriteit.prevention.models import Acceptance, Measure, Workshop
from integriteit.prevention.report_analyses import report, report_html

from .analyses_helpers import make_analysis, make_process, make_risk

pytestmark = pytest.mark.django_db


def _url(analysis) -> str:
    return reverse("prevention:analyses:report", kwargs={"analysis_id": analysis.pk})


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def analysis(people):
    coordinator = verified(people["coordinator"])
    today = timezone.localdate()
    high = make_risk(coordinator, title="Bevoordeling van een leverancier")
    analysis = high.process.analysis
    services.score_risk(coordinator, high, ScoreKind.INHERENT, 5, 5)
    services.save_measure(
        coordinator,
        analysis,
        {
            "kind": MeasureKind.FOUR_EYES,
            "description": "Vier ogen bij gunning",
            "status": "planned",
            "owner": "Inkoopmanager",
            "due_on": today + datetime.timedelta(days=10),
        },
        [high],
    )
    Measure.objects.filter(description="Vier ogen bij gunning").update(
        due_on=today - datetime.timedelta(days=5)
    )
    process = make_process(coordinator, analysis, name="Vergunningen")
    low = services.save_risk(
        coordinator, process, {"title": "Lekken van aanvraaggegevens", "owner": "Teamleider"}
    )
    services.score_risk(coordinator, low, ScoreKind.INHERENT, 2, 2)
    services.accept_risk(
        coordinator,
        low,
        decided_by="Directeur Bedrijfsvoering",
        reason="Kosten van maatregelen wegen niet op",
        until=today + datetime.timedelta(days=30),
    )
    services.save_risk(coordinator, process, {"title": "Nog niet gescoord", "owner": ""})
    Workshop.objects.create(analysis=analysis, held_on=today, participants=7, outcome="GEHEIM")
    return analysis


def test_the_report_reads_as_a_management_report(people, staff_client, analysis):
    text = _text(staff_client(people["manager"]).get(_url(analysis)))
    flat = " ".join(text.split())
    assert analysis.title in flat
    assert "Bevoordeling van een leverancier" in flat
    assert "Lekken van aanvraaggegevens" in flat
    assert "Vier ogen bij gunning" in flat  # overdue
    assert "Directeur Bedrijfsvoering" in flat  # the acceptance ending within 90 days
    assert "Kosten van maatregelen wegen niet op" in flat
    assert "IntoSAINT" in flat
    assert str(analysis.year) in flat
    assert "GEHEIM" not in flat  # a workshop's outcome is the employees' text
    # The heat map tables: the matrix's labelled steps and the counts with their bands.
    maps = report(analysis).heat_maps
    before = {(c.row, c.column): c for c in maps[0].cells}
    assert before[(5, 5)].count == 1 and before[(2, 2)].count == 1
    for map_ in maps:
        for row, _cells in map_.table():
            assert f"{row.value}. {row.label}" in flat
        for column in map_.columns:
            assert f"{column.value}. {column.label}" in flat
    assert f"1 ({before[(5, 5)].band})" in flat
    assert f"1 ({before[(2, 2)].band})" in flat


def test_the_report_holds_the_sections_and_inline_svg(people, analysis):
    html = report_html(analysis)
    assert html.count("<svg") == 2
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html and "<img" not in html
    for section in ("top-risks", "overdue-measures", "acceptances", "workshops"):
        assert f'data-section="{section}"' in html, section
    found = report(analysis)
    assert [top.row.risk.title for top in found.top_risks] == [
        "Bevoordeling van een leverancier",
        "Lekken van aanvraaggegevens",
    ]
    assert found.unscored == 1
    assert found.workshops == 1 and found.participants == 7
    assert [row.risk.title for row in found.acceptances] == ["Lekken van aanvraaggegevens"]


def test_an_ended_acceptance_and_one_far_away(people, analysis):
    today = timezone.localdate()
    Acceptance.objects.update(until=today - datetime.timedelta(days=1))
    assert [row.acceptance_due for row in report(analysis).acceptances] == [True]
    Acceptance.objects.update(until=today + datetime.timedelta(days=365))
    assert report(analysis).acceptances == []


def test_the_export_is_audited(people, staff_client, analysis):
    staff_client(people["authority"]).get(_url(analysis))
    event = AuditEntry.objects.filter(action="prevention.report_exported").get()
    assert event.object_id == str(analysis.pk)
    assert event.detail == {"format": "pdf"}


def test_readers_have_it_and_nobody_else(people, staff_client, analysis):
    for username in ("coordinator", "manager", "director", "authority"):
        assert staff_client(people[username]).get(_url(analysis)).status_code == 200, username
    for username in ("employee", "coordinator-fin", "bzk-coordinator", "auditor", "admin"):
        assert staff_client(people[username]).get(_url(analysis)).status_code == 404, username
    client = staff_client(people["manager"])
    for tampered in ("987654321", "0"):
        url = reverse("prevention:analyses:report", kwargs={"analysis_id": tampered})
        assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(
        action="prevention.report_exported", actor_id=people["employee"].pk
    ).exists()


def test_the_pages_link_to_the_report(people, staff_client, analysis):
    client = staff_client(people["manager"])
    for name in ("prevention:analyses:detail", "prevention:analyses:heat_map"):
        page = client.get(reverse(name, kwargs={"analysis_id": analysis.pk})).content.decode()
        assert f'href="{_url(analysis)}"' in page, name


def test_an_analysis_without_risks_gives_a_clear_report(people, staff_client):
    analysis = make_analysis(verified(people["coordinator"]), title="Lege analyse")
    html = report_html(analysis)
    for empty in ("risks", "top-risks", "overdue-measures", "acceptances", "reviews", "input"):
        assert f'data-empty="{empty}"' in html, empty
    text = " ".join(_text(staff_client(people["manager"]).get(_url(analysis))).split())
    assert "Lege analyse" in text
    assert "IntoSAINT" in text
    assert len(text) > 500
