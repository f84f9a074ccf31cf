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
    assert report.feedback_due is not None
    assert add_months(before, 3) <= report.feedback_due <= add_months(timezone.now(), 3)
    assert report.follow_up.outcome_recorded_at is None


def test_finished_records_cannot_be_finished_again(people):
    flow = Flow(people).to(Phase.DECISION)
    subject = services.record_subject(flow.coordinator, flow.report, person=people["employee"])
    today = datetime.date.today()
    order = services.impose_order_measure(
        flow.authority,
        flow.report,
        subject,
        kind="suspension",
        reason="Onderzoek loopt.",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )
    with pytest.raises(services.CaseError):
        services.lift_order_measure(flow.authority, order, today - datetime.timedelta(days=1))
    services.lift_order_measure(flow.authority, order, today)
    with pytest.raises(services.CaseError):
        services.lift_order_measure(flow.authority, order, today)
    signal = services.record_disadvantage(flow.coordinator, flow.report, "Niet uitgenodigd.")
    services.handle_disadvantage(flow.coordinator, signal)
    with pytest.raises(services.CaseError):
        services.handle_disadvantage(flow.coordinator, signal)
    assignment = flow.report.assignments.filter(role=CaseRole.COMPETENT_AUTHORITY).get()
    services.end_assignment(flow.coordinator, assignment)
    with pytest.raises(services.CaseError):
        services.end_assignment(flow.coordinator, assignment)


def test_measures_only_for_subjects_of_this_case(people, make_report):
    flow = Flow(people).to(Phase.DECISION)
    flow.record_decision()
    other = Flow(people).to(Phase.DECISION)
    stranger = services.record_subject(other.coordinator, other.report, person=people["employee"])
    with pytest.raises(PermissionDenied):
        services.impose_measure(
            flow.authority, flow.report, stranger, "criminal_complaint", datetime.date.today()
        )


def test_findings_only_for_classified_types(people):
    flow = Flow(people).to(Phase.DECISION)
    with pytest.raises(services.CaseError, match="classified types"):
        services.record_decision(
            flow.authority,
            flow.report,
            summary="Vastgesteld.",
            findings={"financial": True, "force": True},
            decided_on=datetime.date.today(),
        )


def test_declared_conflicts_are_withdrawn_by_their_author_only(people, staff_client):
    coordinator = people["coordinator"]
    conflict = services.declare_conflict(coordinator, people["employee"])
    with pytest.raises(services.CaseError):
        services.declare_conflict(coordinator, coordinator)
    other = staff_client(people["authority"])
    url = f"/behandeling/belangenverstrengeling/{conflict.pk}/intrekken/"
    assert other.post(url).status_code == 404
    assert staff_client(coordinator).post(url).status_code == 302
    from integriteit.cases.models import DeclaredConflict

    assert not DeclaredConflict.objects.filter(pk=conflict.pk).exists()
