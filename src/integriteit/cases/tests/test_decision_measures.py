"""The decision step is no trap (issue 10 defect 6): before, the competent authority could
record a decision without any measure and complete it, after which the measure forms were gone
and only reopening the case brought them back. Now hearings (RULES R10) and measures (R13) can
be recorded after the decision as long as the case is not closed, and the case does not close
until the decision states its measures, if only "no measure" (R13; the registry counts measures
by kind)."""

import pytest
from django.utils import timezone, translation

from integriteit.cases import guards, services, workflow
from integriteit.cases.guards import CaseAction
from integriteit.cases.models import Measure
from integriteit.reports.constants import Phase
from integriteit.testing import verified_client

from .flow import Flow

pytestmark = pytest.mark.django_db

P = Phase


@pytest.fixture
def decided(people) -> Flow:
    """A decision recorded and completed without any measure: the case is in feedback."""
    flow = Flow(people).to(P.DECISION)
    flow.record_decision()
    flow.complete_decision()
    assert flow.report.phase == P.FEEDBACK
    return flow


def test_a_hearing_and_a_measure_after_the_decision(decided):
    flow = decided
    subject = flow.report.subjects.get()
    assert guards.why_not(CaseAction.RECORD_HEARING, flow.report) is None
    assert guards.why_not(CaseAction.IMPOSE_MEASURE, flow.report) is None
    hearing = flow.record_hearing(subject)
    measure = services.impose_measure(
        flow.authority, flow.report, subject, "written_reprimand", timezone.localdate()
    )
    assert measure.hearing == hearing  # still: the employee is heard first (RULES R10)


@pytest.mark.parametrize(
    "phase", [P.FEEDBACK, P.AFTERCARE, P.EVALUATION], ids=["feedback", "aftercare", "evaluation"]
)
def test_measures_stay_possible_until_the_case_is_closed(decided, phase):
    flow = decided
    if phase != P.FEEDBACK:
        flow.to(phase)
    services.impose_measure(flow.authority, flow.report, None, "none", timezone.localdate())
    assert Measure.objects.filter(report_id=flow.pk).count() == 1


def test_the_case_does_not_close_before_the_decision_states_its_measures(decided):
    flow = decided
    flow.to(P.EVALUATION)
    with translation.override("en"):
        assert workflow.refusals(flow.report, "close") == [
            "Record the measures of the decision, or “no measure” (RULES R13)."
        ]
    with pytest.raises(workflow.TransitionRefused):
        flow.close()
    flow.record_no_measure()
    flow.close()
    assert flow.report.phase == P.CLOSED
    # Closed: no more measures until it is reopened.
    with pytest.raises(workflow.TransitionRefused):
        flow.record_no_measure()


def test_a_case_without_decision_closes_without_measures(people):
    flow = Flow(people).to(P.CLOSED, route="mediation")
    assert not Measure.objects.filter(report_id=flow.pk).exists()


def test_the_case_page_keeps_the_measure_form_after_the_decision(decided):
    flow = decided
    client = verified_client(flow.authority)
    page = client.get(f"/behandeling/{flow.pk}/?section=decision").content.decode()
    measure_url = f"/behandeling/{flow.pk}/maatregel/"
    assert f'action="{measure_url}' in page
    assert f"/behandeling/{flow.pk}/hoorzitting/" in page  # and the hearing form (RULES R10)
    response = client.post(
        measure_url,
        {
            "measure-measure_type": _none_type_pk(),
            "measure-subject": "",
            "measure-imposed_on": timezone.localdate().isoformat(),
            "confirm": "yes",  # imposing a measure cannot be undone (guards.IRREVERSIBLE)
        },
    )
    assert response.status_code == 302
    assert Measure.objects.filter(report_id=flow.pk, measure_type__code="none").exists()


def test_the_authority_is_told_to_state_the_measures(decided):
    flow = decided
    with translation.override("en"):
        page = verified_client(flow.authority).get(f"/en/behandeling/{flow.pk}/")
    assert "Record the measures of the decision" in page.content.decode()


def _none_type_pk() -> int:
    from integriteit.cases.models import MeasureType

    return MeasureType.objects.get(code="none").pk
