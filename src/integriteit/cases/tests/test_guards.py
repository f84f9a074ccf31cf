"""The guards of case actions: when each action is possible, and why not (cases.guards)."""

import datetime

import pytest

from integriteit.cases import guards, services
from integriteit.cases.constants import OrderMeasureKind
from integriteit.cases.guards import CaseAction
from integriteit.cases.models import Hearing, Measure, OrderMeasure
from integriteit.cases.tests.flow import Flow
from integriteit.cases.workflow import TransitionRefused
from integriteit.reports.constants import Phase

pytestmark = pytest.mark.django_db

# Every action that records something new on the case, refused once the case is closed.
RECORDING_ACTIONS = sorted(set(CaseAction) - {CaseAction.SEND_MESSAGE, CaseAction.REOPEN}, key=str)


def test_every_action_has_a_guard_and_an_access_right():
    assert set(guards.GUARDS) == guards.CASE_ACTIONS
    assert set(guards.ACCESS) == guards.CASE_ACTIONS


@pytest.mark.parametrize("action", RECORDING_ACTIONS, ids=str)
def test_a_closed_case_takes_no_action_but_reopening(people, action):
    report = Flow(people).to(Phase.CLOSED).report
    assert guards.why_not(action, report) is not None
    assert guards.why_not(CaseAction.REOPEN, report) is None
    assert guards.why_not(CaseAction.SEND_MESSAGE, report) is None


def test_why_not_with_a_user_applies_the_access_rules_first(people):
    flow = Flow(people).to(Phase.DECISION)
    report = flow.report
    assert guards.why_not(CaseAction.RECORD_HEARING, report, flow.authority) is None
    assert guards.why_not(CaseAction.RECORD_HEARING, report, flow.guide) is not None
    assert guards.refusals(CaseAction.RECORD_HEARING, report, flow.guide) != guards.refusals(
        CaseAction.RECORD_HEARING, report
    )


def test_order_measures_only_while_the_facts_are_established(people):
    flow = Flow(people)
    assert guards.why_not(CaseAction.IMPOSE_ORDER_MEASURE, flow.report) is not None
    flow.to(Phase.INVESTIGATION)
    assert guards.why_not(CaseAction.IMPOSE_ORDER_MEASURE, flow.report) is None


# --- Regression (issue 9 defect 2): the services refuse what the guards refuse --------------


@pytest.fixture
def closed_case(people):
    """A case closed after its decision, with a subject who was heard: only the phase stands in
    the way of another hearing or measure."""
    flow = Flow(people).to(Phase.DECISION)
    flow.record_hearing(flow.report.subjects.get())
    return flow.to(Phase.CLOSED)


def _hearing(flow):
    flow.record_hearing(flow.report.subjects.get())


def _measure(flow):
    services.impose_measure(
        flow.authority,
        flow.report,
        flow.report.subjects.get(),
        "written_reprimand",
        datetime.date(2026, 1, 5),
    )


def _order_measure(flow):
    services.impose_order_measure(
        flow.authority,
        flow.report,
        flow.report.subjects.get(),
        kind=OrderMeasureKind.SUSPENSION,
        reason="Om het onderzoek te beschermen.",
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 2, 5),
    )


@pytest.mark.parametrize(
    ("take", "action", "model"),
    [
        (_hearing, CaseAction.RECORD_HEARING, Hearing),
        (_measure, CaseAction.IMPOSE_MEASURE, Measure),
        (_order_measure, CaseAction.IMPOSE_ORDER_MEASURE, OrderMeasure),
    ],
    ids=["hearing", "measure", "order_measure"],
)
def test_a_closed_case_refuses_hearings_and_measures(closed_case, take, action, model):
    """Failed before: the services accepted a hearing, a measure and an order measure on a
    closed case; only the page hid the forms."""
    before = model.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        take(closed_case)
    assert refused.value.reasons == guards.refusals(action, closed_case.report)
    assert model.objects.count() == before
