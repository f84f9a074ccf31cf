"""`selectors.available_actions`: what this user may do on this case now, and why not. The
reasons are the domain's (cases.guards), and the case page shows them."""

import pytest
from django.utils import translation

from integriteit.cases import guards, selectors
from integriteit.cases.guards import CaseAction
from integriteit.cases.tests.flow import Flow
from integriteit.reports.constants import Phase
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db


def _states(user, report) -> dict[str, selectors.ActionState]:
    states = selectors.available_actions(user, report)
    assert [s.key for s in states] == [a.value for a in CaseAction]  # every action, once
    return {s.key: s for s in states}


def test_a_closed_case_takes_no_hearing_and_says_why(people):
    flow = Flow(people).to(Phase.DECISION)
    assert _states(flow.authority, flow.report)[CaseAction.RECORD_HEARING].allowed
    flow.record_decision()
    flow.record_no_measure()  # RULES R13: before the case closes (issue 10 defect 6)
    flow.complete_decision()
    flow.to(Phase.CLOSED)
    report = flow.report
    hearing = _states(flow.authority, report)[CaseAction.RECORD_HEARING]
    assert hearing.permitted and not hearing.allowed
    assert hearing.reason == guards.why_not(CaseAction.RECORD_HEARING, report)
    assert hearing.reason is not None
    assert _states(flow.coordinator, report)[CaseAction.REOPEN].allowed


def test_a_role_without_the_right_is_refused_without_the_domain_reason(people):
    flow = Flow(people).to(Phase.DECISION)
    hearing = _states(flow.guide, flow.report)[CaseAction.RECORD_HEARING]
    assert not hearing.permitted and not hearing.allowed and hearing.reason
    # The authority may assign (the investigator) because it commissions the investigation.
    assert _states(flow.authority, flow.report)[CaseAction.ASSIGN].permitted


def test_the_selector_agrees_with_the_guards_for_every_action(people):
    flow = Flow(people).to(Phase.FOLLOW_UP_DECISION)
    report = flow.report
    for user in (flow.coordinator, flow.authority, flow.guide):
        for key, state in _states(user, report).items():
            assert state.allowed == (guards.why_not(key, report, user) is None), (user, key)


def test_the_case_page_shows_the_domain_reason_for_what_is_not_possible(people):
    flow = Flow(people).to(Phase.DECISION)
    flow.record_decision()
    flow.record_no_measure()  # RULES R13: before the case closes (issue 10 defect 6)
    flow.complete_decision()
    flow.to(Phase.CLOSED)
    with translation.override("en"):
        reason = guards.why_not(CaseAction.RECORD_HEARING, flow.report)
    assert reason is not None
    page = verified_client(flow.authority).get(f"/en/behandeling/{flow.pk}/").content.decode()
    assert 'class="utrecht-unordered-list int-not-now"' in page
    assert reason.replace("'", "&#x27;") in page
    assert 'action="/en/behandeling/' + str(flow.pk) + "/hoorzitting/" not in page
