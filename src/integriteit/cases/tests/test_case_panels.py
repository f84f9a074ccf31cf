"""The case page's panels: the registry (order, phases, roles, later modules registering their
own panel) and the builders, each offering only the forms the domain allows now."""

from typing import Any

import pytest

from integriteit.access.rules import allowed_actions, roles_on
from integriteit.cases import forms, selectors
from integriteit.cases.tests.flow import Flow
from integriteit.cases.views.panels import (
    CasePanel,
    PanelInput,
    build_panels,
    builders,
    registered,
    registry,
)
from integriteit.cases.views.panels.phase import phase_panel
from integriteit.reports.constants import Phase

pytestmark = pytest.mark.django_db


def _shown(context: dict[str, Any] | None) -> dict[str, Any]:
    assert context is not None, "the panel is left out"
    return context


def _input(user, report, bound=None) -> PanelInput:
    actions = {a.value for a in allowed_actions(user, report)}
    states = {s.key: s for s in selectors.available_actions(user, report, actions)}
    return PanelInput(user, report, actions, roles_on(user, report), states, bound or {})


def test_panels_come_in_their_order_with_the_investigations_panel_from_its_own_app():
    keys = [panel.key for panel in registered()]
    assert keys == [
        "report",
        "acknowledge",
        "unit",
        "people",
        "assessment",
        "follow_up",
        "subjects",
        "investigations",  # registered by InvestigationsConfig.ready(), not by cases
        "decision",
        "feedback",
        "mailbox",
        "aftercare",
        "signals",
        "reopen",
        "history",
    ]


@pytest.fixture
def extra_panel():
    """A panel of a module registered for one test, removed afterwards."""
    seen = []

    def build(page):
        seen.append(page.report.pk)
        return {"form": None}

    panel = registry.register(
        CasePanel(
            "extra",
            "cases/panels/reopen.html",
            5,
            build,
            phases=frozenset({Phase.ASSESSMENT}),
            roles=frozenset({"process_guide"}),
        )
    )
    yield panel, seen
    registry.unregister("extra")


def test_a_panel_is_built_only_in_its_phases_and_for_its_roles(people, extra_panel):
    _panel, seen = extra_panel
    flow = Flow(people).to(Phase.ACKNOWLEDGED)
    flow.assign_guide()
    assert "extra" not in [p.key for p in build_panels(_input(flow.guide, flow.report))]
    flow.start_assessment()
    assert "extra" not in [p.key for p in build_panels(_input(flow.coordinator, flow.report))]
    shown = build_panels(_input(flow.guide, flow.report))
    assert shown[0].key == "extra" and seen == [flow.pk]


def test_a_panel_with_nothing_to_show_is_left_out(people):
    flow = Flow(people)
    keys = [p.key for p in build_panels(_input(flow.guide, flow.report))]
    assert "reopen" not in keys and "decision" not in keys and "investigations" not in keys


def test_the_decision_panel_offers_hearings_and_measures_only_while_the_case_takes_them(people):
    flow = Flow(people).to(Phase.DECISION)
    flow.record_subject()
    panel = _shown(builders.decision_panel(_input(flow.authority, flow.report)))
    assert panel["hearing_form"] is not None and panel["order_form"] is not None
    assert panel["measure_form"] is None  # RULES R13: the decision comes first
    # Nothing recorded and nothing the coordinator may record: no panel for the coordinator.
    assert builders.decision_panel(_input(flow.coordinator, flow.report)) is None
    flow.record_decision()
    flow.record_no_measure()  # RULES R13: before the case closes (issue 10 defect 6)
    flow.complete_decision()
    flow.to(Phase.CLOSED)
    closed = _shown(builders.decision_panel(_input(flow.authority, flow.report)))
    assert closed["hearing_form"] is None and closed["measure_form"] is None
    assert closed["order_form"] is None and closed["form"] is None
    assert closed["record"].decision is not None  # the records stay on the page


def test_a_refused_form_comes_back_as_typed_even_when_the_action_is_no_longer_offered(people):
    flow = Flow(people).to(Phase.CLOSED, route="no_further_action")
    typed = forms.ReopenForm({"reopen-reason": "x"})
    page = _input(flow.guide, flow.report, {"reopen": typed})
    assert builders.reopen_panel(page) == {"form": typed}
    assert builders.reopen_panel(_input(flow.guide, flow.report)) is None


def test_reopening_is_offered_on_a_closed_case_to_whoever_may_reopen(people):
    flow = Flow(people).to(Phase.CLOSED, route="no_further_action")
    assert _shown(builders.reopen_panel(_input(flow.coordinator, flow.report)))["form"] is not None


def test_the_people_panel_lets_the_authority_assign_only_the_investigator(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    flow.assign_authority()
    roles = [
        f.role_value
        for f in builders.people_panel(_input(flow.authority, flow.report))["assign_forms"]
    ]
    assert roles == ["investigator"]
    assert len(builders.people_panel(_input(flow.coordinator, flow.report))["assign_forms"]) > 1


def test_each_shared_record_is_read_once_per_page(people):
    flow = Flow(people).to(Phase.DECISION)
    flow.record_subject()
    page = _input(flow.authority, flow.report)
    calls = []
    real = selectors.subjects_of

    def counting(report):
        calls.append(report.pk)
        return real(report)

    page.read(counting)
    page.read(counting)
    assert calls == [flow.pk]


def test_the_phase_panel_lists_the_steps_and_what_is_not_possible_now(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    panel = phase_panel(_input(flow.coordinator, flow.report), {"complete_assessment"})
    step = next(row for row in panel["step_rows"] if row.name == "complete_assessment")
    assert step.mine and step.simple and step.refusals  # the missing pieces, from the workflow
    assert panel["not_now"]  # e.g. no outcome before the follow-up decision
    assert all(item.reason for item in panel["not_now"])
