"""The guards of case actions: when each action is possible, and why not (cases.guards)."""

import pytest

from integriteit.cases import guards
from integriteit.cases.guards import CaseAction
from integriteit.cases.tests.flow import Flow
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
