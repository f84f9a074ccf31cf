"""The case page's layout (issue 10, case page): a summary header, the phase panel with "What you
may and must do now", and one section at a time from a nav of links, chosen from the panel
registry: the section of the current phase unless the user picked another, the section of a
refused form after a refusal.

Pages are requested under /en/ so texts are matched in English."""

import re

import pytest

from integriteit.cases import forms
from integriteit.cases.tests.flow import Flow
from integriteit.cases.views.panels import SECTIONS, CasePanel, section_of, section_url
from integriteit.cases.views.panels.registry import PHASE_SECTION
from integriteit.reports.constants import Phase
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db


def _get(client, flow: Flow, query: str = "") -> str:
    response = client.get(f"/en/behandeling/{flow.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _current_section(page: str) -> str:
    (shown,) = re.findall(r'data-section="([a-z_]+)"', page)
    return shown


def test_every_phase_opens_a_section_and_every_section_exists():
    assert set(PHASE_SECTION) == set(Phase.values)
    assert set(PHASE_SECTION.values()) <= {section.key for section in SECTIONS}


def test_a_panel_in_an_unknown_section_is_refused():
    with pytest.raises(ValueError):
        CasePanel("x", "cases/panels/reopen.html", 1, lambda page: None, section="elsewhere")


@pytest.mark.parametrize(
    ("anchor", "section"),
    [
        ("step-acknowledge", "overview"),
        ("mailbox", "mailbox"),
        ("people", "people"),
        ("subject-12", "people"),
        ("conflict-checklist", "overview"),
        ("disadvantage", "overview"),
        ("step-follow-up", "investigation"),
        ("investigations", "investigation"),  # registered by the investigations app
        ("commission", "investigation"),
        ("measures", "decision"),
        ("aftercare-3", "decision"),
        ("step-reopen", "history"),
        ("phase-heading", None),  # above the sections: always on the page
        ("next-steps", None),
    ],
    ids=lambda value: str(value),
)
def test_a_link_to_a_part_of_the_page_opens_its_section(anchor, section):
    assert section_of(anchor) == section


def test_section_url_puts_the_section_before_the_anchor(people):
    flow = Flow(people)
    assert section_url(flow.report, "people", "/x/") == "/x/?section=people#people"
    assert section_url(flow.report, "phase-heading", "/x/") == "/x/#phase-heading"


def test_the_page_opens_the_section_of_the_phase_and_any_section_on_demand(people):
    flow = Flow(people)
    client = verified_client(flow.coordinator)
    page = _get(client, flow)
    assert _current_section(page) == "overview"  # received: read it, acknowledge receipt
    assert 'id="step-acknowledge"' in page
    nav = re.search(r'<nav class="int-case-nav".*?</nav>', page, re.DOTALL)
    assert nav is not None
    links = re.findall(r'href="\?section=([a-z_]+)#section-\1"', nav.group(0))
    assert links == [section.key for section in SECTIONS]
    assert nav.group(0).count('aria-current="page"') == 1
    # Any section on demand; an unknown one falls back to the phase's.
    people_page = _get(client, flow, "?section=people")
    assert _current_section(people_page) == "people" and 'id="people"' in people_page
    assert 'id="step-acknowledge"' not in people_page
    assert _current_section(_get(client, flow, "?section=nonsense")) == "overview"
    flow.to(Phase.FEEDBACK)
    assert _current_section(_get(client, flow)) == "mailbox"


def test_a_refused_form_comes_back_in_its_own_section(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    client = verified_client(flow.coordinator)
    response = client.post(
        f"/en/behandeling/{flow.pk}/toewijzen/process_guide/",
        {"assign-process_guide-person": flow.investigator.pk},  # not a process guide
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert _current_section(page) == "people"
    assert 'id="assign-process_guide"' in page


def test_success_returns_to_the_section_of_the_action(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    client = verified_client(flow.coordinator)
    response = client.post(
        f"/en/behandeling/{flow.pk}/toewijzen/process_guide/",
        {"assign-process_guide-person": flow.guide.pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?section=people#people")


def test_the_summary_names_reference_phase_time_limits_people_and_the_next_step(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    flow.assign_authority()
    page = _get(verified_client(flow.coordinator), flow)
    summary = re.search(r'<section class="int-case-summary".*?</section>', page, re.DOTALL)
    assert summary is not None
    text = summary.group(0)
    report = flow.report
    assert report.reference in text
    assert "Intake and assessment" in text  # the phase
    assert "Acknowledgement (7 days, RULES R3)" in text and "done on" in text
    assert "Feedback (3 months, RULES R4)" in text
    assert text.count('class="int-deadline ') >= 2  # one badge style for every time limit
    assert str(flow.authority) in text and "Competent authority" in text
    # The next step is the first of "What you may and must do now", linked into its section.
    assert "Your next step" in text
    assert re.search(r'href="\?section=overview#[a-z-]+"', text) or 'href="#next-steps"' in text
    assert "What you may and must do now" in page  # the box is kept


def test_the_history_lists_every_step_with_who_took_it(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    page = _get(verified_client(flow.coordinator), flow, "?section=history")
    history = re.search(r'<ol class="utrecht-ordered-list int-history">.*?</ol>', page, re.DOTALL)
    assert history is not None
    assert history.group(0).count("<li>") == 2  # acknowledged, intake started
    assert str(flow.coordinator) in history.group(0)


def test_the_reopen_form_keeps_its_own_ids(people):
    """The reopen form has no prefix; its ids carry its name so no other "reason" clashes."""
    form = forms.ReopenForm(auto_id="reopen-%s")
    assert form["reason"].id_for_label == "reopen-reason"
