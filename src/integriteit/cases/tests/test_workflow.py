"""Every transition of the reporting process (issue 3 "It must show"): allowed from a proper
setup, refused with its reason when a precondition is missing (each one separately) or from a
wrong phase, with its audit entry, its history row and the messages it sends."""

import datetime
import itertools
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.cases import services, workflow
from integriteit.cases.constants import (
    CaseRole,
    ConflictCheckItem,
    FeedbackKind,
    FollowUpRoute,
    OrderMeasureKind,
    ReferralTarget,
)
from integriteit.cases.models import (
    Assessment,
    CaseAssignment,
    Evaluation,
    Feedback,
    FollowUp,
    Measure,
    PhaseChange,
)
from integriteit.deadlines.services import feedback_due
from integriteit.reports.constants import MessageKind, Phase
from integriteit.reports.models import Report
from integriteit.reports.sealing import open_identity, open_message_body, sealer_for

from .flow import Flow

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_notifications")]

P = Phase
REPORTER_NAME = "Sanne de Melder"
REPORTER_EMAIL = "sanne@example.org"
DESCRIPTION = "Er worden bonnen vervalst bij inkoop."


@pytest.fixture(autouse=True)
def english():
    # Reasons are compared in English whatever the configured language.
    with translation.override("en"):
        yield


@pytest.fixture
def flow(people):
    return Flow(people, name=REPORTER_NAME, email=REPORTER_EMAIL, description=DESCRIPTION)


@pytest.fixture
def anonymous_flow(people):
    return Flow(people)


# --- The table: how to set up and take each transition ------------------------------------


def _no_setup(flow: Flow) -> None:
    pass


# name -> (prepare the step's records, take the step with the real service)
STEPS = {
    "acknowledge": (_no_setup, Flow.acknowledge),
    "start_assessment": (_no_setup, Flow.start_assessment),
    "complete_assessment": (Flow.prepare_assessment, Flow.complete_assessment),
    "start_investigation": (_no_setup, lambda f: f.decide(FollowUpRoute.INVESTIGATION)),
    "start_mediation": (_no_setup, lambda f: f.decide(FollowUpRoute.MEDIATION)),
    "refer": (_no_setup, lambda f: f.decide(FollowUpRoute.REFERRAL)),
    "no_further_action": (_no_setup, lambda f: f.decide(FollowUpRoute.NO_FURTHER_ACTION)),
    "complete_investigation": (Flow.prepare_investigation, Flow.complete_investigation),
    "complete_follow_up": (Flow.record_outcome, Flow.complete_follow_up),
    "record_decision": (Flow.record_decision, Flow.complete_decision),
    "give_final_feedback": (_no_setup, Flow.give_final_feedback),
    "complete_aftercare": (_no_setup, Flow.complete_aftercare),
    "close": (_no_setup, Flow.close),
    "reopen": (_no_setup, Flow.reopen),
}

# The messages each transition posts to the reporter's mailbox (kind), if any.
MESSAGES = {
    "acknowledge": [MessageKind.ACKNOWLEDGEMENT],
    "refer": [MessageKind.REFERRAL],
    "no_further_action": [MessageKind.MESSAGE],
    "give_final_feedback": [MessageKind.FINAL_FEEDBACK],
    "complete_aftercare": [MessageKind.EVALUATION_INVITATION],
    "reopen": [MessageKind.MESSAGE],  # the reporter hears that the case is reopened
}

FOLLOW_UP_TRANSITIONS = {
    "start_investigation": FollowUpRoute.INVESTIGATION,
    "start_mediation": FollowUpRoute.MEDIATION,
    "refer": FollowUpRoute.REFERRAL,
    "no_further_action": FollowUpRoute.NO_FURTHER_ACTION,
}


CASES = [
    pytest.param(name, source, id=f"{name}-from-{source}")
    for name, transition in workflow.TRANSITIONS.items()
    for source in sorted(transition.sources)
]


def test_table_covers_every_transition():
    assert set(STEPS) == set(workflow.TRANSITIONS)
    assert set(MESSAGES) <= set(workflow.TRANSITIONS)
    # Every phase but the first is the target of some transition; every phase but the last
    # is the source of one: no phase is unreachable or a dead end.
    targets = {t.target for t in workflow.TRANSITIONS.values()}
    sources = set().union(*(t.sources for t in workflow.TRANSITIONS.values()))
    assert targets == set(Phase) - {P.RECEIVED}
    assert sources == set(Phase)


def _reason(text: str, **values) -> str:
    return translation.gettext(text) % values if values else translation.gettext(text)


def _wrong_phase(phase: str) -> str:
    return _reason("This step is not possible in the phase “%(phase)s”.", phase=Phase(phase).label)


def _audit(report, action):
    return AuditEntry.objects.filter(object_id=str(report.pk), action=action)


@pytest.mark.parametrize(("name", "source"), CASES)
def test_transition_allowed_with_audit_history_and_messages(
    flow, django_capture_on_commit_callbacks, name, source
):
    transition = workflow.TRANSITIONS[name]
    flow.to(source)
    prepare, take = STEPS[name]
    prepare(flow)
    report = flow.report
    if name not in FOLLOW_UP_TRANSITIONS:  # those record the decision and step in one service
        assert workflow.refusals(report, name) == []
    assert name in {t.name for t in workflow.available(report)}
    messages_before = set(report.messages.values_list("pk", flat=True))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        take(flow)

    report = flow.report
    assert report.phase == transition.target
    change = report.phase_changes.last()
    assert (change.from_phase, change.to_phase, change.transition) == (
        source,
        transition.target,
        name,
    )
    actor = change.actor
    entry = _audit(report, f"case.{name}").get()
    assert entry.actor_id == actor.pk
    assert entry.detail == {"from": source, "to": transition.target}
    assert verify_chain().intact
    # The messages it sends, each announced by an e-mail without contents (SECURITY.md).
    new = report.messages.exclude(pk__in=messages_before)
    assert sorted(new.values_list("kind", flat=True)) == sorted(MESSAGES.get(name, []))
    if name in MESSAGES:
        assert [m.to for m in mail.outbox] == [[REPORTER_EMAIL]]
        sent = mail.outbox[0]
        body = open_message_body(new.get(), sealer_for(report))
        for secret in (body, DESCRIPTION, REPORTER_NAME):
            assert secret not in sent.body and secret not in sent.subject
        assert report.reference in sent.subject
    else:
        assert mail.outbox == []


def test_history_of_a_full_case_has_no_gaps(flow):
    flow.to(P.CLOSED)
    changes = list(flow.report.phase_changes.all())
    assert [c.transition for c in changes] == [
        "acknowledge",
        "start_assessment",
        "complete_assessment",
        "start_investigation",
        "complete_investigation",
        "record_decision",
        "give_final_feedback",
        "complete_aftercare",
        "close",
    ]
    assert changes[0].from_phase == P.RECEIVED
    for previous, current in itertools.pairwise(changes):
        assert current.from_phase == previous.to_phase


# --- Refused from a wrong phase --------------------------------------------------------------

WRONG_PHASE_CASES = [
    pytest.param(name, phase, id=f"{name}-in-{phase}")
    for name, transition in workflow.TRANSITIONS.items()
    for phase in Phase
    if phase not in transition.sources
]


@pytest.mark.parametrize(("name", "phase"), WRONG_PHASE_CASES)
def test_refusals_name_the_wrong_phase(flow, name, phase):
    Report.objects.filter(pk=flow.pk).update(phase=phase)
    report = flow.report
    assert workflow.refusals(report, name) == [_wrong_phase(phase)]
    assert name not in {t.name for t in workflow.available(report)}
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.advance(flow.coordinator, report, name)
    assert refused.value.reasons == [_wrong_phase(phase)]
    assert flow.report.phase == phase
    assert not PhaseChange.objects.filter(report=report).exists()


@pytest.mark.parametrize("name", [n for n in workflow.TRANSITIONS if n != "acknowledge"])
def test_service_refuses_from_a_wrong_phase_and_changes_nothing(
    flow, django_capture_on_commit_callbacks, name
):
    """Straight after receipt, every step but the acknowledgement is refused by its service,
    even with its records in place; nothing is stored, logged or sent."""
    flow.assign_authority()
    flow.assign_investigator()
    report = flow.report
    before = (
        report.messages.count(),
        AuditEntry.objects.count(),
        FollowUp.objects.count(),
        Assessment.objects.count(),
    )
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(workflow.TransitionRefused) as refused,
    ):
        STEPS[name][1](flow)
    assert refused.value.reasons == [_wrong_phase(P.RECEIVED)]
    report = flow.report
    assert report.phase == P.RECEIVED
    assert not report.phase_changes.exists()
    after = (
        report.messages.count(),
        AuditEntry.objects.count(),
        FollowUp.objects.count(),
        Assessment.objects.count(),
    )
    assert after == before
    assert mail.outbox == []


def test_acknowledge_twice_refused(flow, django_capture_on_commit_callbacks):
    flow.acknowledge()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(workflow.TransitionRefused) as refused,
    ):
        flow.acknowledge("Nogmaals.")
    assert refused.value.reasons == ["This report has already been acknowledged."]
    assert flow.report.messages.filter(kind=MessageKind.ACKNOWLEDGEMENT).count() == 1
    assert mail.outbox == []


# --- Preconditions, each missing on its own --------------------------------------------------


def _unset_in_scope(flow):
    Assessment.objects.filter(report_id=flow.pk).update(in_scope=None)


def _unset_kind(flow):
    Report.objects.filter(pk=flow.pk).update(classified_kind="")


def _unset_types(flow):
    flow.report.classified_types.clear()


def _end_authority(flow):
    CaseAssignment.objects.filter(report_id=flow.pk, role=CaseRole.COMPETENT_AUTHORITY).update(
        ended_at=timezone.now()
    )


ASSESSMENT_GAPS = {
    "in_scope": (
        lambda f: (f.record_assessment(), f.assign_authority(), f.check_conflicts()),
        _unset_in_scope,
        "Record whether the report is within scope.",
    ),
    "kind": (
        lambda f: (f.record_assessment(), f.assign_authority(), f.check_conflicts()),
        _unset_kind,
        "Classify the kind of report.",
    ),
    "types": (
        lambda f: (f.record_assessment(), f.assign_authority(), f.check_conflicts()),
        _unset_types,
        "Choose at least one type of integrity violation.",
    ),
    "authority": (
        lambda f: (f.record_assessment(), f.check_conflicts()),
        lambda f: None,
        "Assign the competent authority.",
    ),
    "authority_ended": (
        lambda f: (f.record_assessment(), f.assign_authority(), f.check_conflicts()),
        _end_authority,
        "Assign the competent authority.",
    ),
    "checklist": (
        lambda f: (
            f.record_assessment(),
            f.assign_authority(),
            f.check_conflicts(list(ConflictCheckItem)[1:]),
        ),
        lambda f: None,
        "Complete the conflict-of-interest checklist (1 open).",
    ),
}


def _refused_by_service(flow, name: str, reasons: list[str]) -> None:
    report = flow.report
    phase = report.phase
    assert workflow.refusals(report, name) == reasons
    with pytest.raises(workflow.TransitionRefused) as refused:
        STEPS[name][1](flow)
    assert refused.value.reasons == reasons
    assert str(refused.value) == " ".join(reasons)
    assert flow.report.phase == phase
    assert not _audit(report, f"case.{name}").exists()


@pytest.mark.parametrize("gap", list(ASSESSMENT_GAPS))
def test_complete_assessment_refused_per_missing_precondition(flow, gap):
    prepare, undo, reason = ASSESSMENT_GAPS[gap]
    flow.to(P.ASSESSMENT)
    prepare(flow)
    undo(flow)
    _refused_by_service(flow, "complete_assessment", [reason])
    assert flow.report.assessment.completed_at is None


def test_complete_assessment_lists_every_gap(flow):
    flow.to(P.ASSESSMENT)
    reasons = workflow.refusals(flow.report, "complete_assessment")
    assert reasons == [
        "Record whether the report is within scope.",
        "Classify the kind of report.",
        "Assign the competent authority.",
        "Complete the conflict-of-interest checklist (4 open).",
    ]


def test_wrongdoing_needs_no_violation_type(flow):
    flow.to(P.ASSESSMENT)
    flow.record_assessment(kind="wrongdoing", types=())
    flow.assign_authority()
    flow.check_conflicts()
    flow.complete_assessment()
    assert flow.report.phase == P.FOLLOW_UP_DECISION
    assert not flow.report.classified_types.exists()


def test_record_assessment_refuses_violation_without_type(flow):
    flow.to(P.ASSESSMENT)
    with pytest.raises(services.CaseError, match="at least one type"):
        flow.record_assessment(types=())


@pytest.mark.parametrize("name", list(FOLLOW_UP_TRANSITIONS))
def test_follow_up_transition_needs_the_matching_decision(flow, name):
    flow.to(P.FOLLOW_UP_DECISION)
    reason = "Record the decision on follow-up with its reason."
    report = flow.report
    assert workflow.refusals(report, name) == [reason]
    other = next(r for r in FollowUpRoute if r != FOLLOW_UP_TRANSITIONS[name])
    FollowUp.objects.create(report=report, route=other, sealed_reason=b"")
    assert workflow.refusals(flow.report, name) == [reason]
    with pytest.raises(workflow.TransitionRefused):
        workflow.advance(flow.authority, flow.report, name)
    assert flow.report.phase == P.FOLLOW_UP_DECISION


def test_referral_needs_a_target(flow):
    flow.to(P.FOLLOW_UP_DECISION)
    FollowUp.objects.create(report=flow.report, route=FollowUpRoute.REFERRAL, sealed_reason=b"")
    assert workflow.refusals(flow.report, "refer") == ["Say where the report is referred to."]
    with pytest.raises(services.CaseError, match="Say where the report is referred to"):
        flow.decide(FollowUpRoute.REFERRAL, referral_target="")
    with pytest.raises(services.CaseError, match="Name the organisation"):
        flow.decide(FollowUpRoute.REFERRAL, referral_target=ReferralTarget.OTHER_ORGANISATION)
    assert flow.report.phase == P.FOLLOW_UP_DECISION
    flow.decide(
        FollowUpRoute.REFERRAL,
        referral_target=ReferralTarget.OTHER_ORGANISATION,
        referral_organisation="Inspectie Justitie en Veiligheid",
    )
    follow_up = flow.report.follow_up
    assert (
        services.open_on(follow_up, "sealed_referral_organisation")
        == "Inspectie Justitie en Veiligheid"
    )
    assert services.open_on(follow_up, "sealed_reason") == "Zo besloten na de intake."


@pytest.mark.parametrize("route", [FollowUpRoute.REFERRAL, FollowUpRoute.NO_FURTHER_ACTION])
def test_referral_and_no_further_action_must_inform_the_reporter(flow, route):
    flow.to(P.FOLLOW_UP_DECISION)
    with pytest.raises(services.CaseError, match="informs the reporter"):
        flow.decide(route, message_to_reporter="  ")
    with pytest.raises(services.CaseError, match="reason"):
        flow.decide(route, reason=" ")
    assert flow.report.phase == P.FOLLOW_UP_DECISION
    assert not FollowUp.objects.filter(report_id=flow.pk).exists()


def _uninform_subjects(flow):
    flow.report.subjects.update(informed_at=None)


def _end_investigator(flow):
    CaseAssignment.objects.filter(report_id=flow.pk, role=CaseRole.INVESTIGATOR).update(
        ended_at=timezone.now()
    )


INVESTIGATION_GAPS = {
    "outcome": (
        lambda f: (f.assign_investigator(), f.record_subject()),
        "Record the outcome of the follow-up.",
    ),
    "investigator": (
        lambda f: (f.prepare_investigation(), _end_investigator(f)),
        "Assign an investigator.",
    ),
    "subject_informed": (
        lambda f: (f.assign_investigator(), f.record_subject(informed=False), f.record_outcome()),
        "Record when and how every subject was informed.",
    ),
}


@pytest.mark.parametrize("gap", list(INVESTIGATION_GAPS))
def test_complete_investigation_refused_per_missing_precondition(flow, gap):
    prepare, reason = INVESTIGATION_GAPS[gap]
    flow.to(P.INVESTIGATION)
    prepare(flow)
    _refused_by_service(flow, "complete_investigation", [reason])


def test_investigation_without_a_known_subject_needs_no_informing(flow):
    flow.to(P.INVESTIGATION)
    flow.assign_investigator()
    flow.record_outcome()
    flow.complete_investigation()
    assert flow.report.phase == P.DECISION


@pytest.mark.parametrize("source", [P.MEDIATION, P.REFERRAL, P.NO_FURTHER_ACTION])
def test_complete_follow_up_needs_the_outcome(flow, source):
    flow.to(source)
    _refused_by_service(flow, "complete_follow_up", ["Record the outcome of the follow-up."])
    with pytest.raises(services.CaseError, match="Describe the outcome"):
        flow.record_outcome(" ")
    flow.record_outcome()
    flow.complete_follow_up()
    assert flow.report.phase == P.FEEDBACK


def test_outcome_needs_a_follow_up_decision(flow):
    flow.to(P.ASSESSMENT)
    flow.assign_investigator()
    with pytest.raises(workflow.TransitionRefused, match="no follow-up decision"):
        flow.record_outcome()


def test_record_decision_needs_the_decision(flow):
    flow.to(P.DECISION)
    _refused_by_service(
        flow, "record_decision", ["Record the decision of the competent authority."]
    )


def test_record_decision_needs_a_finding_per_classified_type(flow):
    flow.to(P.ASSESSMENT)
    flow.record_assessment(types=("financial", "position"))
    flow.assign_authority()
    flow.check_conflicts()
    flow.complete_assessment()
    flow.to(P.DECISION)
    flow.record_decision(findings={"financial": True})
    _refused_by_service(
        flow,
        "record_decision",
        ["Record for every classified type whether the violation is established."],
    )
    flow.record_decision(findings={"financial": True, "position": False})
    flow.complete_decision()
    findings = dict(
        flow.report.decision.findings.values_list("violation_type__code", "established")
    )
    assert findings == {"financial": True, "position": False}


def test_decision_only_in_the_decision_phase(flow):
    flow.to(P.INVESTIGATION)
    with pytest.raises(workflow.TransitionRefused):
        flow.record_decision()
    flow.prepare_investigation()
    flow.complete_investigation()
    with pytest.raises(services.CaseError, match="Summarise"):
        services.record_decision(
            flow.authority,
            flow.report,
            summary=" ",
            findings={"financial": True},
            decided_on=timezone.localdate(),
        )


def test_complete_aftercare_needs_open_actions_finished(flow):
    flow.to(P.AFTERCARE)
    flow.assign_guide()
    first = flow.plan_aftercare()
    second = flow.plan_aftercare()
    _refused_by_service(flow, "complete_aftercare", ["Finish or cancel every aftercare action."])
    services.finish_aftercare(flow.guide, first)
    _refused_by_service(flow, "complete_aftercare", ["Finish or cancel every aftercare action."])
    services.finish_aftercare(flow.guide, second, cancel_reason="De melder wil geen nagesprek.")
    with pytest.raises(services.CaseError, match="already finished"):
        services.finish_aftercare(flow.guide, second)
    flow.complete_aftercare()
    assert flow.report.phase == P.EVALUATION


def test_complete_aftercare_needs_signals_of_disadvantage_handled(
    flow, django_capture_on_commit_callbacks
):
    # RULES R8: a signal is raised to the coordinators at once and blocks closing aftercare.
    flow.to(P.AFTERCARE)
    flow.assign_guide()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signal = services.record_disadvantage(flow.guide, flow.report, "Overgeplaatst na melding.")
    assert [m.to for m in mail.outbox] == [[flow.coordinator.email]]
    assert "Overgeplaatst" not in mail.outbox[0].body
    _refused_by_service(
        flow,
        "complete_aftercare",
        ["Handle every signal of disadvantage to the reporter first."],
    )
    services.handle_disadvantage(flow.coordinator, signal)
    flow.complete_aftercare()
    assert flow.report.phase == P.EVALUATION


# --- What the steps record and send ----------------------------------------------------------


def test_acknowledge_records_dates_and_handler(flow, django_capture_on_commit_callbacks):
    # RULES R3 and R4: acknowledged, and feedback due 3 months after the acknowledgement.
    with django_capture_on_commit_callbacks(execute=True):
        message = flow.acknowledge("Dank voor uw melding.")
    report = flow.report
    assert report.acknowledged_at is not None
    assert report.feedback_due == feedback_due(report.received_at, report.acknowledged_at)
    assert open_message_body(message, sealer_for(report)) == "Dank voor uw melding."
    assert message.kind == MessageKind.ACKNOWLEDGEMENT
    assert report.assignments.filter(user=flow.coordinator, role=CaseRole.HANDLER).exists()
    assert open_identity(report).email == REPORTER_EMAIL
    [sent] = mail.outbox
    assert sent.to == [REPORTER_EMAIL]
    for secret in ("Dank voor uw melding", DESCRIPTION, REPORTER_NAME):
        assert secret not in sent.body and secret not in sent.subject


def test_anonymous_reporter_gets_messages_but_no_email(
    anonymous_flow, django_capture_on_commit_callbacks
):
    # RULES R5: contact with an anonymous reporter runs through the mailbox only.
    with django_capture_on_commit_callbacks(execute=True):
        anonymous_flow.to(P.EVALUATION, route=FollowUpRoute.REFERRAL)
    kinds = list(anonymous_flow.report.messages.values_list("kind", flat=True))
    assert kinds == [
        MessageKind.ACKNOWLEDGEMENT,
        MessageKind.REFERRAL,
        MessageKind.FINAL_FEEDBACK,
        MessageKind.EVALUATION_INVITATION,
    ]
    assert mail.outbox == []


def test_final_feedback_records_the_feedback(flow, django_capture_on_commit_callbacks):
    flow.to(P.FEEDBACK)
    with pytest.raises(services.CaseError, match="Write the feedback"):
        flow.give_final_feedback(" ")
    assert flow.report.feedback_given_at is None
    with django_capture_on_commit_callbacks(execute=True):
        feedback = flow.give_final_feedback("De uitkomst.")
    report = flow.report
    assert feedback.kind == FeedbackKind.FINAL
    assert open_message_body(feedback.message, sealer_for(report)) == "De uitkomst."
    assert report.feedback_given_at is not None
    assert report.last_feedback_at == report.feedback_given_at
    assert _audit(report, "case.feedback_final").count() == 1


def test_complete_aftercare_invites_to_evaluate(flow, django_capture_on_commit_callbacks):
    flow.to(P.AFTERCARE)
    mail.outbox.clear()  # the earlier steps' notifications (queued as they happened, ADR 0017)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = flow.complete_aftercare("Hoe heeft u het proces ervaren?")
    assert evaluation.invited_at is not None and evaluation.answered_at is None
    message = flow.report.messages.get(kind=MessageKind.EVALUATION_INVITATION)
    assert open_message_body(message, sealer_for(message.report)) == (
        "Hoe heeft u het proces ervaren?"
    )
    assert len(mail.outbox) == 1
    # The reporter answers (also anonymously, through the mailbox), once.
    services.answer_evaluation(
        flow.report, felt_safe=4, kept_informed=2, taken_seriously=5, would_report_again=True
    )
    with pytest.raises(services.CaseError):
        services.answer_evaluation(
            flow.report, felt_safe=4, kept_informed=2, taken_seriously=5, would_report_again=True
        )
    assert Evaluation.objects.get(report_id=flow.pk).kept_informed == 2


def test_evaluation_scores_are_checked(flow):
    with pytest.raises(services.CaseError, match="no evaluation"):
        services.answer_evaluation(
            flow.report, felt_safe=3, kept_informed=3, taken_seriously=3, would_report_again=False
        )
    flow.to(P.EVALUATION)
    with pytest.raises(services.CaseError, match="score from 1 to 5"):
        services.answer_evaluation(
            flow.report, felt_safe=6, kept_informed=3, taken_seriously=3, would_report_again=False
        )


@pytest.mark.parametrize(
    ("closed_at", "retained_until"),
    [
        pytest.param("2027-06-15T10:00:00+00:00", "2032-06-15T10:00:00+00:00", id="a-day"),
        # The term ends on 28 February when the case was closed on the 29th: the test crashed
        # on every 29 February when it computed the expected date with date.replace(year=...).
        pytest.param("2028-02-29T10:00:00+00:00", "2033-02-28T10:00:00+00:00", id="29-february"),
    ],
)
def test_close_sets_the_retention_date(flow, monkeypatch, closed_at, retained_until):
    # RULES R9: personal data removed after the organisation's term (default 5 years), counted
    # in calendar months from the moment of closing (passed in: no test depends on today).
    flow.to(P.EVALUATION)
    assert flow.report.organisation.retention_years == 5
    moment = datetime.datetime.fromisoformat(closed_at)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    flow.close()
    report = flow.report
    assert report.closed_at == moment
    assert report.retention_until == datetime.datetime.fromisoformat(retained_until)


# --- Reopening -------------------------------------------------------------------------------


def test_reopen_needs_a_reason_and_returns_to_assessment(flow):
    flow.to(P.CLOSED)
    with pytest.raises(services.CaseError, match="reason for reopening"):
        flow.reopen("   ")
    assert flow.report.phase == P.CLOSED
    assert not _audit(flow.report, "case.reopen").exists()

    flow.reopen("De melder meldt nieuwe feiten.")
    report = flow.report
    assert report.phase == P.ASSESSMENT
    assert report.closed_at is None and report.retention_until is None
    assert report.feedback_given_at is None
    change = report.phase_changes.last()
    assert (change.from_phase, change.to_phase) == (P.CLOSED, P.ASSESSMENT)
    reason = sealer_for(report).open_text(
        f"phase_change:{change.pk}", "reason", bytes(change.sealed_reason)
    )
    assert reason == "De melder meldt nieuwe feiten."
    # The case goes through the process again, to closure.
    flow.to(P.CLOSED, route=FollowUpRoute.MEDIATION)
    transitions = list(flow.report.phase_changes.values_list("transition", flat=True))
    assert transitions[-7:] == [
        "reopen",
        "complete_assessment",
        "start_mediation",
        "complete_follow_up",
        "give_final_feedback",
        "complete_aftercare",
        "close",
    ]
    assert verify_chain().intact


def test_reopen_refused_after_personal_data_removal(flow):
    flow.to(P.CLOSED)
    Report.objects.filter(pk=flow.pk).update(personal_data_removed_at=timezone.now())
    with pytest.raises(workflow.TransitionRefused, match="personal data"):
        flow.reopen()
    assert flow.report.phase == P.CLOSED


# --- Interim feedback: only between acknowledgement and final feedback -----------------------


def _interim(flow, text="Wij zijn nog bezig met uw melding."):
    return services.give_interim_feedback(flow.guide, flow.report, text)


def test_interim_feedback_only_between_acknowledgement_and_final_feedback(
    flow, django_capture_on_commit_callbacks
):
    flow.assign_guide()
    with pytest.raises(workflow.TransitionRefused, match="Acknowledge the report first"):
        _interim(flow)
    assert services.interim_feedback_due(flow.report) is None

    flow.to(P.INVESTIGATION)
    due = services.interim_feedback_due(flow.report)
    weeks = flow.report.organisation.interim_feedback_weeks
    assert due == flow.report.acknowledged_at + datetime.timedelta(weeks=weeks)
    with pytest.raises(services.CaseError, match="Write the feedback"):
        _interim(flow, " ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback = _interim(flow)
    report = flow.report
    assert feedback.kind == FeedbackKind.INTERIM
    assert feedback.message.kind == MessageKind.INTERIM_FEEDBACK
    assert report.last_feedback_at > report.acknowledged_at
    assert report.feedback_given_at is None and report.phase == P.INVESTIGATION
    assert services.interim_feedback_due(report) == report.last_feedback_at + datetime.timedelta(
        weeks=weeks
    )
    assert _audit(report, "case.feedback_interim").count() == 1
    assert len(mail.outbox) == 1 and "Wij zijn nog bezig" not in mail.outbox[0].body

    flow.to(P.AFTERCARE)
    with pytest.raises(workflow.TransitionRefused, match="final feedback has already been given"):
        _interim(flow)
    assert services.interim_feedback_due(flow.report) is None
    assert Feedback.objects.filter(report_id=flow.pk, kind=FeedbackKind.INTERIM).count() == 1

    # After reopening, the reporter is kept informed again.
    flow.to(P.CLOSED)
    flow.reopen()
    _interim(flow)
    assert Feedback.objects.filter(report_id=flow.pk, kind=FeedbackKind.INTERIM).count() == 2


# --- Measures: hearing first (RULES R10), order measures reasoned and bounded (R11) -----------


@pytest.fixture
def decided(flow):
    flow.to(P.INVESTIGATION)
    flow.assign_investigator()
    subject = flow.record_subject()
    flow.record_outcome()
    flow.complete_investigation()
    flow.record_decision()
    return flow, subject


def test_measure_refused_without_hearing(decided):
    flow, subject = decided
    for code in ("written_reprimand", "dismissal", "other"):
        with pytest.raises(services.CaseError, match="RULES R10"):
            services.impose_measure(
                flow.authority, flow.report, subject, code, timezone.localdate()
            )
    with pytest.raises(services.CaseError, match="Choose the employee"):
        services.impose_measure(
            flow.authority, flow.report, None, "written_reprimand", timezone.localdate()
        )
    assert not Measure.objects.exists()
    assert not _audit(flow.report, "case.measure_imposed").exists()

    hearing = flow.record_hearing(subject)
    measure = services.impose_measure(
        flow.authority, flow.report, subject, "written_reprimand", timezone.localdate()
    )
    assert measure.hearing == hearing
    assert _audit(flow.report, "case.measure_imposed").get().detail == {
        "measure": "written_reprimand"
    }


def test_hearing_of_one_subject_does_not_cover_another(decided):
    flow, subject = decided
    other = services.record_subject(flow.investigator, flow.report, description="Een collega")
    flow.record_hearing(subject)
    with pytest.raises(services.CaseError, match="RULES R10"):
        services.impose_measure(flow.authority, flow.report, other, "fine", timezone.localdate())


def test_no_measure_needs_no_hearing_and_legacy_codes_are_closed(decided):
    flow, subject = decided
    services.impose_measure(flow.authority, flow.report, None, "none", timezone.localdate())
    with pytest.raises(services.CaseError, match="older records"):
        services.impose_measure(
            flow.authority, flow.report, subject, "legacy_suspension_punitive", timezone.localdate()
        )


def test_measure_needs_the_decision_first(flow):
    flow.to(P.DECISION)
    subject = flow.report.subjects.get()
    flow.record_hearing(subject)
    with pytest.raises(workflow.TransitionRefused, match="Record the decision"):
        services.impose_measure(
            flow.authority, flow.report, subject, "written_reprimand", timezone.localdate()
        )


def test_hearing_needs_a_record_and_the_case_own_subject(decided, people):
    flow, subject = decided
    with pytest.raises(services.CaseError, match="Record what the employee said"):
        services.record_hearing(
            flow.authority,
            flow.report,
            subject,
            held_on=timezone.localdate(),
            form="oral",
            assisted_by="",
            record_text=" ",
        )
    other = Flow(people)
    other.assign_authority()
    with pytest.raises(PermissionDenied):  # another case's subject
        other.record_hearing(subject)


def _order(flow, subject, **extra):
    today = timezone.localdate()
    options: dict[str, Any] = {
        "kind": OrderMeasureKind.SUSPENSION,
        "reason": "Het onderzoek vraagt het.",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=30),
    } | extra
    return services.impose_order_measure(flow.authority, flow.report, subject, **options)


def test_order_measure_needs_a_reason_and_an_end_date(flow):
    # RULES R11: reasoned and no longer than necessary, during the investigation.
    flow.to(P.INVESTIGATION)
    flow.assign_investigator()
    subject = flow.record_subject()
    today = timezone.localdate()
    with pytest.raises(services.CaseError, match="needs a reason"):
        _order(flow, subject, reason="  ")
    with pytest.raises(services.CaseError, match="end date"):
        _order(flow, subject, ends_on=None)
    with pytest.raises(services.CaseError, match="end date"):
        _order(flow, subject, ends_on=today - datetime.timedelta(days=1))
    assert not flow.report.order_measures.exists()
    measure = _order(flow, subject, kind=OrderMeasureKind.BAR)
    assert measure.ends_on == today + datetime.timedelta(days=30)
    assert services.open_on(measure, "sealed_reason") == "Het onderzoek vraagt het."
    assert _audit(flow.report, "case.order_measure").get().detail == {"kind": "bar"}
    services.lift_order_measure(flow.authority, measure, today)
    measure.refresh_from_db()
    assert measure.lifted_on == today
