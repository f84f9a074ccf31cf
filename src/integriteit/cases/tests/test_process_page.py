"""/meldproces/: the process described for every participant (issue 3 §1; seed 002, the manager
toolkit). Public: no login, and it uses the phase texts of cases.phases.PHASE_GUIDE."""

import itertools
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from integriteit.cases.phases import PHASE_GUIDE
from integriteit.cases.views.public import ROLE_SECTIONS
from integriteit.reports.constants import Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    with translation.override("en"):
        response = client.get(reverse("cases:process"))
        assert response.status_code == 200
        return response.content.decode()


def test_public_without_login(client):
    response = client.get("/meldproces/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "sessionid" not in response.cookies


def test_every_phase_with_its_guide(page):
    with translation.override("en"):
        for phase in Phase:
            assert f'id="fase-{phase.value}"' in page, phase
            assert escape(str(phase.label)) in page, phase
            guide = PHASE_GUIDE[phase]
            for text in (guide.what, guide.responsible, guide.for_reporter):
                assert escape(str(text)) in page, text


def test_phases_in_process_order(page):
    ids = re.findall(r'id="fase-([a-z_]+)"', page)
    assert ids.index(Phase.RECEIVED) < ids.index(Phase.ASSESSMENT) < ids.index(Phase.DECISION)
    assert ids.index(Phase.DECISION) < ids.index(Phase.EVALUATION) < ids.index(Phase.CLOSED)


def test_every_role_has_a_section_and_a_link(page):
    for section_id, _title in ROLE_SECTIONS:
        assert f'id="{section_id}"' in page, section_id
        assert f'href="#{section_id}"' in page, section_id


def test_manager_toolkit(page):
    assert 'id="leidinggevende"' in page
    section = page.split('id="leidinggevende"', 1)[1].split("<section", 1)[0]
    assert "For managers" in section
    assert reverse("reports:register") in section  # register the report for the employee
    assert "Do not investigate yourself" in section
    assert "If the report is about you" in section


def test_headings_do_not_skip_levels(page):
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1


def test_linked_from_the_report_start_page(client):
    assert reverse("cases:process") in client.get(reverse("reports:start")).content.decode()


def test_dutch_page_answers(client):
    with translation.override("nl"):
        assert client.get("/meldproces/").status_code == 200


def test_bipo_is_spelled_out_as_the_baseline_is_named(client):
    """Issue 10 defect 7: BIPO is the "Baseline Intern Persoonsgericht Onderzoek" (seed 001)."""
    page = client.get("/meldproces/").content.decode()  # Dutch, the default
    assert "Baseline Intern Persoonsgericht Onderzoek (BIPO)" in page
    assert "Interne Procedures" not in page


@pytest.mark.parametrize(
    "path", ["/meldproces/", "/en/meldproces/", "/melden/bzk/", "/en/melden/bzk/", "/postbus/"]
)
def test_public_pages_name_terms_not_our_rule_ids(client, people, path):
    """Issue 10 defect 7: "RULES R3" means nothing to a reporter; the term itself is said."""
    page = client.get(path).content.decode()
    assert "RULES" not in page
