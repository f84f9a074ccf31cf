"""A confirmation before every irreversible step (issue 10, case page): the steps listed once in
cases.guards.IRREVERSIBLE. For each: the case page's form carries the "I understand this cannot
be undone" checkbox; a post without it changes nothing and shows the form again with the reason
and what was typed; the same post with it ticked is carried out (so the refusal is the
confirmation's, not another rule's).

Pages are requested under /en/ so the message is matched in English."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import pytest
from django.utils import timezone

from integriteit.cases import guards
from integriteit.cases.models import Measure, MeasureType
from integriteit.cases.tests.flow import Flow
from integriteit.cases.views.panels import section_of
from integriteit.reports.constants import Phase
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db

A = guards.CaseAction
NOT_CONFIRMED = "Nothing was changed: this step cannot be undone."


@dataclass(frozen=True)
class Case:
    """Where the action is possible, who takes it, what the page posts and how to see it done."""

    prepare: Callable[[Flow], object]
    who: str  # the Flow attribute of the person who takes it
    tail: str  # the URL after /behandeling/<id>/
    anchor: str  # where its form is on the page
    done: Callable[[Flow], bool]
    data: Callable[[Flow], dict] = lambda flow: {}
    typed: str = ""  # a text of `data` that must come back in the form


def _phase_is(phase: str) -> Callable[[Flow], bool]:
    return lambda flow: flow.report.phase == phase


def _in_decision_with_hearing(flow: Flow) -> None:
    flow.to(Phase.DECISION)
    flow.record_decision()
    flow.record_hearing(flow.report.subjects.get())


def _measure_data(flow: Flow) -> dict:
    return {
        "measure-measure_type": MeasureType.objects.get(code="written_reprimand").pk,
        "measure-subject": flow.report.subjects.get().pk,
        "measure-imposed_on": timezone.localdate().isoformat(),
    }


CASES: dict[guards.CaseAction, Case] = {
    A.COMPLETE_ASSESSMENT: Case(
        lambda flow: (flow.to(Phase.ASSESSMENT), flow.prepare_assessment()),
        "coordinator",
        "stap/complete_assessment/",
        "next-steps",
        _phase_is(Phase.FOLLOW_UP_DECISION),
    ),
    A.DECIDE_FOLLOW_UP: Case(
        lambda flow: flow.to(Phase.FOLLOW_UP_DECISION),
        "authority",
        "vervolg/",
        "step-follow-up",
        _phase_is(Phase.MEDIATION),
        lambda flow: {"follow-up-route": "mediation", "follow-up-reason": "Een gesprek past."},
        typed="Een gesprek past.",
    ),
    A.COMPLETE_INVESTIGATION: Case(
        lambda flow: (flow.to(Phase.INVESTIGATION), flow.prepare_investigation()),
        "investigator",
        "stap/complete_investigation/",
        "next-steps",
        _phase_is(Phase.DECISION),
    ),
    A.COMPLETE_FOLLOW_UP: Case(
        lambda flow: (flow.to(Phase.MEDIATION), flow.record_outcome()),
        "coordinator",
        "stap/complete_follow_up/",
        "next-steps",
        _phase_is(Phase.FEEDBACK),
    ),
    A.COMPLETE_DECISION: Case(
        lambda flow: (flow.to(Phase.DECISION), flow.record_decision()),
        "authority",
        "stap/record_decision/",
        "next-steps",
        _phase_is(Phase.FEEDBACK),
    ),
    A.IMPOSE_MEASURE: Case(
        _in_decision_with_hearing,
        "authority",
        "maatregel/",
        "measures",
        lambda flow: Measure.objects.filter(report_id=flow.pk).exists(),
        _measure_data,
    ),
    A.GIVE_FINAL_FEEDBACK: Case(
        lambda flow: flow.to(Phase.FEEDBACK),
        "coordinator",
        "terugkoppeling/eind/",
        "step-give_final_feedback",
        _phase_is(Phase.AFTERCARE),
        lambda flow: {"feedback-final-text": "Dit is de uitkomst van uw melding."},
        typed="Dit is de uitkomst van uw melding.",
    ),
    A.COMPLETE_AFTERCARE: Case(
        lambda flow: flow.to(Phase.AFTERCARE),
        "coordinator",
        "nazorg/afronden/",
        "step-complete_aftercare",
        _phase_is(Phase.EVALUATION),
        lambda flow: {"invitation-invitation": "Wilt u het proces beoordelen?"},
        typed="Wilt u het proces beoordelen?",
    ),
    A.CLOSE: Case(
        lambda flow: flow.to(Phase.EVALUATION),
        "coordinator",
        "stap/close/",
        "next-steps",
        _phase_is(Phase.CLOSED),
    ),
}
IRREVERSIBLE = sorted(guards.IRREVERSIBLE)


def test_every_irreversible_action_is_tested_here():
    assert set(CASES) == guards.IRREVERSIBLE


def _form_html(page: str, action: str) -> str:
    match = re.search(
        rf'<form[^>]*action="{re.escape(action)}(#[^"]*)?"[^>]*>(.*?)</form>', page, re.DOTALL
    )
    assert match is not None, f"no form posting to {action}"
    return match.group(2)


@pytest.mark.parametrize("action", IRREVERSIBLE, ids=[str(a) for a in IRREVERSIBLE])
def test_an_irreversible_step_asks_for_confirmation_and_changes_nothing_without_it(people, action):
    case = CASES[action]
    flow = Flow(people, types=("financial", "position"))
    case.prepare(flow)
    client = verified_client(getattr(flow, case.who))
    case_url = f"/en/behandeling/{flow.pk}/"
    phase_before = flow.report.phase

    # The form on the page carries the confirmation.
    section = section_of(case.anchor)
    page = client.get(case_url + (f"?section={section}" if section else "")).content.decode()
    form = _form_html(page, f"/en/behandeling/{flow.pk}/{case.tail}")
    assert 'name="confirm"' in form and 'value="yes"' in form

    # Without it: nothing changes, the reason is shown, the text comes back as typed.
    response = client.post(case_url + case.tail, case.data(flow), follow=True)
    assert response.status_code == 200
    text = unescape(response.content.decode())
    assert NOT_CONFIRMED in text
    assert not case.done(flow) and flow.report.phase == phase_before
    if case.typed:
        assert not response.redirect_chain  # the form itself, as typed
        assert case.typed in _form_html(text, f"/en/behandeling/{flow.pk}/{case.tail}")

    # A wrong value is no confirmation either.
    client.post(case_url + case.tail, {**case.data(flow), "confirm": "on"})
    assert not case.done(flow)

    # Ticked: carried out.
    response = client.post(case_url + case.tail, {**case.data(flow), "confirm": "yes"})
    assert response.status_code == 302
    assert case.done(flow)


def test_a_reversible_step_needs_no_confirmation(people):
    flow = Flow(people).to(Phase.ACKNOWLEDGED)
    client = verified_client(flow.coordinator)
    response = client.post(f"/en/behandeling/{flow.pk}/stap/start_assessment/")
    assert response.status_code == 302 and flow.report.phase == Phase.ASSESSMENT


def test_the_confirmation_is_checked_after_access(people):
    """Someone without the role gets "not found", whether or not they confirm."""
    flow = Flow(people).to(Phase.EVALUATION)
    client = verified_client(people["guide"])
    for data in ({}, {"confirm": "yes"}):
        assert client.post(f"/en/behandeling/{flow.pk}/stap/close/", data).status_code == 404
    assert flow.report.phase == Phase.EVALUATION
