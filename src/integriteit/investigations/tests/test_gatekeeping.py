"""Gatekeeping (issue 4 §2, "It must show"): every baseline step refuses completion while a
requirement is missing, out of order and by the wrong role; completing it is audited; a
deviation needs a reason and the competent authority's approval (RULES R12)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext

from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.cases.tests.flow import verified
from integriteit.investigations import baseline, selectors, services
from integriteit.investigations.constants import IntervieweeRole, ReportVersionKind, StepState
from integriteit.investigations.models import Interview, ReportVersion

from .helpers import BASELINE_CODES, Investigating, fake_render  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_render")]


@pytest.fixture(autouse=True)
def english():
    """The refusals are checked for their English message ids."""
    with translation.override("en"):
        yield


BASELINE = {step["code"]: step for step in baseline.BASELINE_STEPS}
FIELDS = [
    (step["code"], f["code"]) for step in baseline.BASELINE_STEPS for f in step["required_fields"]
]
Refused = services.StepRefused


@pytest.fixture
def case(people):
    return Investigating(people)


def completions(case) -> list[str]:
    return [
        entry.detail.get("step")
        for entry in AuditEntry.objects.filter(
            action="investigation.step_completed", object_id=str(case.flow.pk)
        ).order_by("pk")
    ]


def test_the_baseline_codes_are_the_eleven_steps():
    assert [step["code"] for step in baseline.BASELINE_STEPS] == BASELINE_CODES


# --- Required fields, each one separately -----------------------------------------------------


@pytest.mark.parametrize("code,field", FIELDS)
def test_each_required_field_is_needed(case, code, field):
    case.advance_to(code)
    label = next(f["label"] for f in BASELINE[code]["required_fields"] if f["code"] == field)
    case.fill(code, **{field: "   "})
    case.satisfy(code)
    with pytest.raises(Refused) as refused:
        services.complete_step(case.responsible(code), case.investigation, code)
    # The baseline label is data marked with gettext_noop and shown translated.
    assert refused.value.reasons == [gettext("Record: %(label)s.") % {"label": gettext(label)}]
    assert selectors.state_of(case.rec(code)) == StepState.OPEN
    case.fill(code, **{field: "Nu wel ingevuld."})
    services.complete_step(case.responsible(code), case.investigation, code)
    assert selectors.state_of(case.rec(code)) == StepState.COMPLETED


@pytest.mark.parametrize("code", [c for c in BASELINE_CODES if BASELINE[c]["required_fields"]])
def test_a_step_without_any_record_is_refused(case, code):
    case.advance_to(code)
    case.satisfy(code)
    with pytest.raises(Refused) as refused:
        services.complete_step(case.responsible(code), case.investigation, code)
    assert refused.value.reasons == [
        gettext("Record: %(label)s.") % {"label": gettext(f["label"])}
        for f in BASELINE[code]["required_fields"]
    ]
    assert selectors.state_of(case.rec(code)) == StepState.OPEN


def test_values_outside_the_step_are_not_stored(case):
    case.fill("preliminary_inquiry", facts="Feiten", other="Niet van deze stap")
    assert selectors.values_of(case.rec("preliminary_inquiry")) == {
        "facts": "Feiten",
        "admissibility": "Vastgelegd: Conclusion on admissibility and proportionality",
    }


# --- Every step: out of order, wrong role, allowed when complete, audited ---------------------


@pytest.mark.parametrize("index", range(len(BASELINE_CODES)))
def test_every_step_in_order_by_its_role_and_audited(case, people, index):
    code = BASELINE_CODES[index]
    case.advance_to(code)
    case.fill(code)
    case.satisfy(code)
    # A later step cannot be completed now, even by its own role with its records.
    for later in BASELINE_CODES[index + 1 :]:
        with pytest.raises((Refused, PermissionDenied)):
            services.complete_step(case.responsible(later), case.investigation, later)
        assert selectors.state_of(case.rec(later)) == StepState.LOCKED
    # The wrong role: the other of investigator and competent authority, a non-member
    # investigator on the case, the coordinator.
    outsider = verified(people["guide"])
    CaseAssignment.objects.create(
        report=case.flow.report, user=outsider, role=CaseRole.INVESTIGATOR
    )
    wrong = [outsider, case.flow.coordinator]
    wrong.append(
        case.flow.authority
        if BASELINE[code]["responsible_role"] == "investigator"
        else case.flow.investigator
    )
    for person in wrong:
        with pytest.raises(PermissionDenied):
            services.complete_step(person, case.investigation, code)
    assert selectors.state_of(case.rec(code)) == StepState.OPEN
    before = completions(case)
    rec = services.complete_step(case.responsible(code), case.investigation, code)
    assert rec.completed_by == case.responsible(code)
    assert completions(case) == [*before, code]
    entry = AuditEntry.objects.filter(action="investigation.step_completed").latest("pk")
    assert entry.actor_id == case.responsible(code).pk
    assert entry.detail == {"step": code}
    with pytest.raises(Refused):
        services.complete_step(case.responsible(code), case.investigation, code)
    if index + 1 < len(BASELINE_CODES):
        following = case.rec(BASELINE_CODES[index + 1])
        assert selectors.state_of(following) == StepState.OPEN
        assert following.due_on == timezone.localdate() + datetime.timedelta(
            days=BASELINE[following.step.code]["time_limit_days"]
        )
        assert case.investigation.completed_at is None
    else:
        assert case.investigation.completed_at is not None
    assert verify_chain().intact


def test_a_whole_investigation_in_order(case):
    for code in BASELINE_CODES:
        case.complete(code)
    assert completions(case) == BASELINE_CODES
    assert case.investigation.completed_at is not None
    assert AuditEntry.objects.filter(action="investigation.completed").count() == 1


def test_records_only_in_an_open_step(case):
    with pytest.raises(services.InvestigationError) as refused:
        case.fill("plan")
    assert str(refused.value) == "Only an open step can be recorded."
    assert selectors.values_of(case.rec("plan")) == {}
    with pytest.raises(PermissionDenied):
        services.save_values(
            case.flow.authority, case.investigation, "preliminary_inquiry", {"facts": "Feiten"}
        )
    assert selectors.values_of(case.rec("preliminary_inquiry")) == {}


# --- Interviews ------------------------------------------------------------------------------


@pytest.fixture
def at_interviews(case):
    case.advance_to("interviews")
    return case


def completes(case, code) -> None:
    """Completing step `code` succeeds, is audited, and opens the next step."""
    services.complete_step(case.responsible(code), case.investigation, code)
    assert selectors.state_of(case.rec(code)) == StepState.COMPLETED
    assert completions(case)[-1] == code
    following = BASELINE_CODES[BASELINE_CODES.index(code) + 1]
    assert selectors.state_of(case.rec(following)) == StepState.OPEN


WAITING_FOR_THE_INTERVIEWEE = (
    "Wait for the interviewee's approval or comments, or for the term to pass."
)


def refusal(case, code):
    with pytest.raises(Refused) as refused:
        services.complete_step(case.responsible(code), case.investigation, code)
    return refused.value.reasons


def test_interviews_none_planned(at_interviews):
    assert refusal(at_interviews, "interviews") == ["Plan and hold at least one interview."]


def test_interviews_not_invited(at_interviews):
    interview = at_interviews.plan_interview()
    Interview.objects.filter(pk=interview.pk).update(invited_at=None)
    assert refusal(at_interviews, "interviews") == [
        "Send every interviewee the invitation with the protocol and their rights."
    ]


def test_interviews_without_a_record(at_interviews):
    at_interviews.plan_interview()
    assert refusal(at_interviews, "interviews") == [
        "Record every interview and offer the record for approval."
    ]


def test_interviews_awaiting_approval_within_the_term(at_interviews):
    interview = at_interviews.record_interview(at_interviews.plan_interview())
    assert interview.response_due >= timezone.localdate()
    assert refusal(at_interviews, "interviews") == [WAITING_FOR_THE_INTERVIEWEE]
    Interview.objects.filter(pk=interview.pk).update(response_due=timezone.localdate())
    # The last day of the term still counts.
    assert refusal(at_interviews, "interviews") == [WAITING_FOR_THE_INTERVIEWEE]


def test_interviews_accepted_after_the_term(at_interviews):
    interview = at_interviews.record_interview(at_interviews.plan_interview())
    assert refusal(at_interviews, "interviews") == [WAITING_FOR_THE_INTERVIEWEE]
    Interview.objects.filter(pk=interview.pk).update(
        response_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    completes(at_interviews, "interviews")


def test_interviews_accepted_on_approval(at_interviews):
    interview = at_interviews.record_interview(at_interviews.plan_interview())
    assert refusal(at_interviews, "interviews") == [WAITING_FOR_THE_INTERVIEWEE]
    services.approve_record(at_interviews.subject_person, interview)
    completes(at_interviews, "interviews")


def test_interviews_accepted_on_comments(at_interviews):
    interview = at_interviews.record_interview(at_interviews.plan_interview())
    assert refusal(at_interviews, "interviews") == [WAITING_FOR_THE_INTERVIEWEE]
    services.comment_record(at_interviews.subject_person, interview, "Ik zei iets anders.")
    completes(at_interviews, "interviews")


def test_every_interview_counts_witnesses_too(at_interviews, people):
    case = at_interviews
    services.approve_record(case.subject_person, case.record_interview(case.plan_interview()))
    witness = case.record_interview(case.plan_interview(IntervieweeRole.WITNESS))
    assert refusal(case, "interviews") == [WAITING_FOR_THE_INTERVIEWEE]
    with pytest.raises(PermissionDenied):  # only the interviewee approves their record
        services.approve_record(case.subject_person, witness)
    assert Interview.objects.get(pk=witness.pk).approved_at is None
    services.approve_record(verified(people["manager"]), witness)
    completes(case, "interviews")


def test_interviews_only_in_their_step(case):
    with pytest.raises(Refused) as refused:
        case.plan_interview()
    assert refused.value.reasons == ["Interviews are held in the step “Interviews”."]
    assert not Interview.objects.filter(investigation=case.investigation).exists()


# --- Reports and the subject's response -------------------------------------------------------


def test_draft_report_needs_a_generated_draft(case):
    case.advance_to("draft_report")
    case.fill("draft_report")
    assert refusal(case, "draft_report") == ["Generate the draft report."]
    case.generate(ReportVersionKind.DRAFT)
    completes(case, "draft_report")


def test_subject_response_needs_the_offer_and_the_response_or_the_term(case):
    case.advance_to("subject_response")
    assert refusal(case, "subject_response") == ["Offer the draft report to the subject."]
    draft = services.offer_draft(case.flow.investigator, case.investigation)
    assert refusal(case, "subject_response") == [
        "Wait for the subject's response or for the term to pass."
    ]
    ReportVersion.objects.filter(pk=draft.pk).update(
        response_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    completes(case, "subject_response")


def test_subject_response_accepted_on_the_response(case):
    case.advance_to("subject_response")
    draft = services.offer_draft(case.flow.investigator, case.investigation)
    with pytest.raises(PermissionDenied):
        services.respond_to_draft(case.flow.investigator, draft, "Niet de betrokkene.")
    assert ReportVersion.objects.get(pk=draft.pk).responded_at is None
    assert refusal(case, "subject_response") == [
        "Wait for the subject's response or for the term to pass."
    ]
    services.respond_to_draft(case.subject_person, draft, "Mijn reactie.")
    completes(case, "subject_response")


def test_final_report_before_and_after_the_draft(case):
    case.advance_to("final_report")
    case.fill("final_report")
    assert refusal(case, "final_report") == [
        "Generate the final report after the subject's response."
    ]
    final = case.generate(ReportVersionKind.FINAL)
    # A final report generated before the latest draft does not count.
    draft = ReportVersion.objects.filter(
        investigation=case.investigation, kind=ReportVersionKind.DRAFT
    ).latest("generated_at")
    ReportVersion.objects.filter(pk=final.pk).update(
        generated_at=draft.generated_at - datetime.timedelta(minutes=1)
    )
    assert refusal(case, "final_report") == [
        "Generate the final report after the subject's response."
    ]
    case.generate(ReportVersionKind.FINAL)
    completes(case, "final_report")


def test_reports_only_in_their_step(case):
    with pytest.raises(Refused) as refused:
        case.generate(ReportVersionKind.DRAFT)
    assert refused.value.reasons == ["The report is generated in its own step."]
    with pytest.raises(Refused) as refused:
        services.offer_draft(case.flow.investigator, case.investigation)
    assert refused.value.reasons == ["The draft is offered in the step “Response of the subject”."]
    assert not ReportVersion.objects.filter(investigation=case.investigation).exists()


# --- Deviations -------------------------------------------------------------------------------


def test_a_deviation_on_informing_the_subject(case):
    case.advance_to("inform_subject")
    investigator, authority = case.flow.investigator, case.flow.authority
    inv = case.investigation
    with pytest.raises(services.InvestigationError):
        services.request_deviation(investigator, inv, "inform_subject", "  ")
    with pytest.raises(Refused):  # no request, nothing to approve
        services.approve_deviation(authority, inv, "inform_subject")
    with pytest.raises(PermissionDenied):
        services.request_deviation(authority, inv, "inform_subject", "Bewijs veiligstellen.")
    services.request_deviation(investigator, inv, "inform_subject", "Bewijs veiligstellen.")
    # Requested is not approved: the next step stays locked.
    assert selectors.state_of(case.rec("interviews")) == StepState.LOCKED
    for person in (investigator, case.flow.coordinator):
        with pytest.raises(PermissionDenied):
            services.approve_deviation(person, inv, "inform_subject")
    services.approve_deviation(authority, inv, "inform_subject")
    assert AuditEntry.objects.filter(action="investigation.deviation_approved").count() == 1
    assert selectors.state_of(case.rec("inform_subject")) == StepState.DEFERRED
    assert selectors.state_of(case.rec("interviews")) == StepState.OPEN
    current = selectors.current_record(case.investigation)
    assert current is not None and current.step.code == "interviews"
    for code in BASELINE_CODES[4:-1]:
        case.complete(code)
    case.fill("closing")
    assert refusal(case, "closing") == [
        "Complete the deferred steps first: Informing the subject and their rights."
    ]
    assert case.investigation.completed_at is None
    case.complete("inform_subject")
    assert selectors.state_of(case.rec("inform_subject")) == StepState.COMPLETED
    services.complete_step(investigator, case.investigation, "closing")
    assert case.investigation.completed_at is not None


@pytest.mark.parametrize("code", [c for c in BASELINE_CODES if c != "inform_subject"])
def test_no_deviation_where_the_protocol_allows_none(case, code):
    case.advance_to(code)
    with pytest.raises(Refused) as refused:
        services.request_deviation(
            case.responsible(code), case.investigation, code, "Liever later."
        )
    assert refused.value.reasons == ["The protocol allows no deviation in this step."]
    assert case.rec(code).deviation_requested_at is None


def test_no_deviation_on_a_locked_step(case):
    with pytest.raises(Refused) as refused:
        services.request_deviation(
            case.flow.investigator, case.investigation, "inform_subject", "Bewijs veiligstellen."
        )
    assert refused.value.reasons == ["Only the open step can be deferred."]
    assert case.rec("inform_subject").deviation_requested_at is None
