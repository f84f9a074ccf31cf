"""Who decides what (SYSTEM.md roles; seed 002): the competent authority decides on follow-up and
commissions the investigation; the subject's informing is recorded truthfully; R10/R13 details."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from integriteit.cases import services
from integriteit.cases.constants import CaseRole, FollowUpRoute, SubjectInformedHow
from integriteit.cases.models import Subject
from integriteit.deadlines.services import add_months
from integriteit.reports.constants import Phase

from .flow import Flow, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_only_the_competent_authority_decides_on_follow_up(people):
    flow = Flow(people).to(Phase.FOLLOW_UP_DECISION)
    with pytest.raises(PermissionDenied):
        services.decide_follow_up(
            flow.coordinator, flow.report, FollowUpRoute.INVESTIGATION, "Ernstig vermoeden."
        )
    assert flow.report.phase == Phase.FOLLOW_UP_DECISION
    services.decide_follow_up(
        flow.authority, flow.report, FollowUpRoute.INVESTIGATION, "Ernstig vermoeden."
    )
    assert flow.report.phase == Phase.INVESTIGATION


def test_competent_authority_commissions_the_investigator_but_assigns_nobody_else(people):
    flow = Flow(people).to(Phase.FOLLOW_UP_DECISION)
    services.assign(flow.authority, flow.report, flow.investigator, CaseRole.INVESTIGATOR)
    assert flow.has_role(flow.investigator, CaseRole.INVESTIGATOR)
    with pytest.raises(PermissionDenied):
        services.assign(flow.authority, flow.report, flow.guide, CaseRole.PROCESS_GUIDE)


def test_assignee_must_hold_the_role_in_the_organisation(people):
    flow = Flow(people).to(Phase.ASSESSMENT)
    employee = verified(people["employee-fin"])
    with pytest.raises(services.CaseError, match="does not hold this role"):
        services.assign(flow.coordinator, flow.report, employee, CaseRole.INVESTIGATOR)
    with pytest.raises(services.CaseError, match="does not hold this role"):
        services.assign(flow.coordinator, flow.report, people["guide"], CaseRole.INVESTIGATOR)


def test_postponed_informing_is_not_informing(people):
    flow = Flow(people).to(Phase.INVESTIGATION)
    if not flow.has_role(flow.investigator, CaseRole.INVESTIGATOR):
        flow.assign_investigator()
    subject = services.record_subject(flow.investigator, flow.report, person=people["employee"])
    with pytest.raises(services.CaseError, match="reason"):
        services.record_subject_informed(
            flow.investigator, subject, informed_at=timezone.now(), how=SubjectInformedHow.NOT_YET
        )
    services.record_subject_informed(
        flow.investigator,
        subject,
        informed_at=timezone.now(),
        how=SubjectInformedHow.NOT_YET,
        note="Eerst bewijs veiligstellen.",
    )
    subject = Subject.objects.get(pk=subject.pk)
    assert subject.informed_at is None and subject.informed_how == SubjectInformedHow.NOT_YET
    flow.record_outcome()
    with pytest.raises(services.TransitionRefused, match="every subject was informed"):
        services.complete_investigation(flow.investigator, flow.report)


def test_criminal_complaint_needs_no_hearing_but_a_reprimand_does(people):
    flow = Flow(people).to(Phase.DECISION)
    subject = services.record_subject(flow.coordinator, flow.report, person=people["employee"])
    flow.record_decision()
    today = datetime.date.today()
    services.impose_measure(flow.authority, flow.report, subject, "criminal_complaint", today)
    with pytest.raises(services.CaseError, match="R10"):
        services.impose_measure(flow.authority, flow.report, subject, "written_reprimand", today)


def test_outcome_only_during_follow_up(people):
    flow = Flow(people).to(Phase.DECISION)
    with pytest.raises(services.TransitionRefused):
        services.record_outcome(flow.investigator, flow.report, "Later toegevoegd.")


def test_reopening_sets_a_new_feedback_term_and_asks_for_a_new_outcome(people):
    flow = Flow(people).to(Phase.CLOSED, route=FollowUpRoute.MEDIATION)
    before = timezone.now()
    flow.reopen()
    report = flow.report
    assert report.phase == Phase.ASSESSMENT
    assert add_months(before, 3) <= report.feedback_due <= add_months(timezone.now(), 3)
    assert report.follow_up.outcome_recorded_at is None
