"""The protocol as data (issue 4 §1; seed 002: a ministry may add to the BIPO baseline, never go
below it): the baseline version, organisation versions that are stored with the investigation and
enforced, refusals of anything that drops a baseline step or requirement, and the coordinator's
protocol page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.flow import verified
from integriteit.investigations import selectors, services
from integriteit.investigations.constants import StepState
from integriteit.investigations.models import Protocol, ProtocolStep
from integriteit.organisations.models import Organisation
from integriteit.testing import verified_client

from .helpers import BASELINE_CODES, Investigating, fake_render  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_render")]


@pytest.fixture(autouse=True)
def english():
    """The refusals and the pages are checked for their English message ids."""
    with translation.override("en"):
        yield


REVIEW_CODE = "integrity_officer_review"
REVIEW = {
    "code": REVIEW_CODE,
    "name": "Review by the integrity officer",
    "position": 65,  # between evidence (60) and draft_report (70)
    "responsible_role": "coordinator",
    "guidance": "The integrity officer reviews the evidence before the draft is written.",
    "time_limit_days": 5,
    "required_fields": [{"code": "review", "label": "Review of the evidence"}],
}


@pytest.fixture
def bzk(people):
    return Organisation.objects.get(slug="bzk")


def derive(people, organisation, **changes):
    return services.derive_protocol(verified(people["coordinator"]), organisation, **changes)


def test_the_baseline_is_version_one_with_eleven_steps_in_order(db):
    base = Protocol.objects.get(organisation=None)
    assert base.version == 1 and base.is_baseline and selectors.baseline() == base
    steps = list(base.steps.order_by("position"))
    assert [s.code for s in steps] == BASELINE_CODES
    assert all(s.is_baseline for s in steps)
    assert [s.position for s in steps] == sorted({s.position for s in steps})
    assert [s.code for s in steps if s.deviation_allowed] == ["inform_subject"]
    assert {s.code: s.responsible_role for s in steps if s.responsible_role != "investigator"} == {
        "assignment": "competent_authority",
        "decision": "competent_authority",
    }


def test_an_organisation_step_is_stored_and_enforced(people, bzk):
    version = derive(people, bzk, extra_steps=[REVIEW])
    assert version.version == 1 and version.organisation == bzk
    assert selectors.current_protocol(bzk) == version
    assert [s.code for s in version.steps.order_by("position")] == [
        *BASELINE_CODES[:6],
        "integrity_officer_review",
        *BASELINE_CODES[6:],
    ]
    assert AuditEntry.objects.filter(action="protocol.derived").count() == 1
    case = Investigating(people)
    assert case.investigation.protocol == version
    case.advance_to("integrity_officer_review")
    # The draft cannot be made or completed before the review.
    with pytest.raises(services.StepRefused):
        case.generate()
    with pytest.raises(services.StepRefused):
        services.complete_step(case.flow.investigator, case.investigation, "draft_report")
    # The review is the coordinator's, and needs its field.
    with pytest.raises(PermissionDenied):
        services.complete_step(case.flow.investigator, case.investigation, REVIEW_CODE)
    with pytest.raises(services.StepRefused) as refused:
        services.complete_step(case.flow.coordinator, case.investigation, REVIEW_CODE)
    assert refused.value.reasons == ["Record: Review of the evidence."]
    case.complete(REVIEW_CODE)
    assert selectors.state_of(case.rec("draft_report")) == StepState.OPEN
    for code in BASELINE_CODES[6:]:
        case.complete(code)
    assert case.investigation.completed_at is not None


def test_an_extra_required_field_on_a_baseline_step_is_enforced(people, bzk):
    extra = {"code": "chain_of_custody", "label": "Chain of custody"}
    version = derive(people, bzk, extra_requirements={"evidence": [extra]})
    evidence = version.steps.get(code="evidence")
    assert evidence.required_fields[-1] == extra and evidence.is_baseline
    case = Investigating(people)
    case.advance_to("evidence")
    services.save_values(
        case.flow.investigator, case.investigation, "evidence", {"evidence_log": "Logboek"}
    )
    with pytest.raises(services.StepRefused) as refused:
        services.complete_step(case.flow.investigator, case.investigation, "evidence")
    assert refused.value.reasons == ["Record: Chain of custody."]
    case.complete("evidence")


def test_versions_build_on_each_other(people, bzk):
    derive(people, bzk, extra_steps=[REVIEW])
    second = derive(
        people, bzk, extra_requirements={"closing": [{"code": "archived", "label": "Archived"}]}
    )
    assert second.version == 2
    assert second.steps.filter(code=REVIEW["code"], is_baseline=False).exists()
    assert second.steps.get(code="closing").required_fields[-1]["code"] == "archived"


@pytest.mark.parametrize(
    "changes,reason",
    [
        ({"drop_steps": ["evidence"]}, "The baseline step “Evidence” cannot be removed."),
        (
            {"drop_steps": ["subject_response"]},
            "The baseline step “Response of the subject (hoor en wederhoor)” cannot be removed.",
        ),
        (
            {"drop_requirements": {"assignment": ["questions"]}},
            "The requirement “Questions to answer” of “Decision to investigate and written "
            "assignment” cannot be removed.",
        ),
    ],
)
def test_going_below_the_baseline_is_refused_and_nothing_is_stored(people, bzk, changes, reason):
    before = (Protocol.objects.count(), ProtocolStep.objects.count(), AuditEntry.objects.count())
    with pytest.raises(services.StepRefused) as refused:
        derive(people, bzk, extra_steps=[REVIEW], **changes)
    assert reason in refused.value.reasons
    after = (Protocol.objects.count(), ProtocolStep.objects.count(), AuditEntry.objects.count())
    assert after == before
    assert selectors.current_protocol(bzk) == selectors.baseline()


def test_an_organisation_step_can_be_dropped_again(people, bzk):
    derive(people, bzk, extra_steps=[REVIEW])
    later = derive(people, bzk, drop_steps=[REVIEW["code"]])
    assert [s.code for s in later.steps.all()] == BASELINE_CODES


@pytest.mark.parametrize(
    "extra,reason",
    [
        (REVIEW | {"code": "evidence"}, "The code “evidence” is already in use."),
        (REVIEW | {"position": 60}, "Another step already has this position."),
    ],
)
def test_a_step_that_clashes_is_refused(people, bzk, extra, reason):
    with pytest.raises(services.StepRefused) as refused:
        derive(people, bzk, extra_steps=[extra])
    assert refused.value.reasons == [reason]
    assert not Protocol.objects.filter(organisation=bzk).exists()


def test_only_the_coordinator_of_the_organisation_derives(people, bzk):
    for name in ("investigator", "authority", "coordinator-fin"):
        with pytest.raises(PermissionDenied):
            services.derive_protocol(verified(people[name]), bzk, extra_steps=[REVIEW])
    assert not Protocol.objects.filter(organisation=bzk).exists()


def test_an_investigation_keeps_its_version(people, bzk):
    first = derive(people, bzk, extra_steps=[REVIEW])
    case = Investigating(people)
    case.advance_to("plan")
    derive(people, bzk, drop_steps=[REVIEW["code"]])
    derive(people, bzk, extra_requirements={"plan": [{"code": "budget", "label": "Budget"}]})
    assert selectors.current_protocol(bzk).version == 3
    investigation = case.investigation
    assert investigation.protocol == first
    assert investigation.step_records.filter(step__code=REVIEW["code"]).exists()
    case.complete("plan")  # no budget asked: the version it started with
    baseline_case = Investigating(people)  # a new one follows version 3
    assert baseline_case.investigation.protocol.version == 3


# --- The protocol page ----------------------------------------------------------------------

URL = "/nl/onderzoek/protocol/"


def test_the_page_lists_the_steps_with_the_baseline_marked(people, bzk):
    derive(people, bzk, extra_steps=[REVIEW])
    response = verified_client(people["coordinator"]).get(reverse("investigations:protocol"))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'data-code="{code}"') for code in BASELINE_CODES]
    assert positions == sorted(positions)
    assert html.index('data-code="evidence"') < html.index(f'data-code="{REVIEW["code"]}"')
    assert html.index(f'data-code="{REVIEW["code"]}"') < html.index('data-code="draft_report"')
    assert html.count("Baseline") >= 11


@pytest.mark.parametrize("name", ["investigator", "authority", "employee", "coordinator-fin"])
def test_the_page_is_for_coordinators(people, name):
    """Denied means 404, never 403 (ADR 0002), for a look and for a change; a coordinator of
    another organisation sees only their own organisation's protocol."""
    client = verified_client(people[name])
    url = reverse("investigations:protocol")
    if name == "coordinator-fin":
        page = client.get(url, {"organisation": "bzk"})
        assert page.status_code == 200 and page.context["organisation"].slug == "fin"
        return
    assert client.get(url).status_code == 404
    assert client.get(url, {"organisation": "bzk"}).status_code == 404
    assert client.post(url, step_post()).status_code == 404
    assert selectors.current_protocol(Organisation.objects.get(slug="bzk")) == selectors.baseline()


def step_post(**overrides):
    data = {
        "action": "add_step",
        "organisation": "bzk",
        "step-name": "Review by the integrity officer",
        "step-code": "integrity_officer_review",
        "step-after": "evidence",
        "step-responsible_role": "coordinator",
        "step-guidance": "Review the evidence.",
        "step-time_limit_days": "5",
        "step-required_fields": "review: Review of the evidence\n\n",
    }
    return data | overrides


def test_adding_a_step_on_the_page(people, bzk):
    client = verified_client(people["coordinator"])
    response = client.post(reverse("investigations:protocol"), step_post())
    assert response.status_code == 302
    step = selectors.current_protocol(bzk).steps.get(code="integrity_officer_review")
    assert step.position == 65 and not step.is_baseline
    assert step.responsible_role == "coordinator" and step.time_limit_days == 5
    assert step.required_fields == [{"code": "review", "label": "Review of the evidence"}]
    # At the end, after closing.
    client.post(
        reverse("investigations:protocol"),
        step_post(**{"step-code": "archive_check", "step-after": "closing"}),
    )
    assert selectors.current_protocol(bzk).steps.get(code="archive_check").position == 120


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"step-required_fields": "no label here"}, "write a field as"),
        ({"step-code": "evidence"}, "The code “evidence” is already in use."),
        ({"step-name": ""}, "utrecht-form-field--invalid"),
    ],
)
def test_a_refused_step_shows_why(people, bzk, overrides, message):
    client = verified_client(people["coordinator"])
    response = client.post(reverse("investigations:protocol"), step_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Protocol.objects.filter(organisation=bzk).exists()


def test_adding_a_required_field_on_the_page(people, bzk):
    client = verified_client(people["coordinator"])
    response = client.post(
        reverse("investigations:protocol"),
        {
            "action": "add_field",
            "organisation": "bzk",
            "field-step": "evidence",
            "field-code": "chain_of_custody",
            "field-label": "Chain of custody",
        },
    )
    assert response.status_code == 302
    evidence = selectors.current_protocol(bzk).steps.get(code="evidence")
    assert {"code": "chain_of_custody", "label": "Chain of custody"} in evidence.required_fields
    page = client.get(reverse("investigations:protocol")).content.decode()
    assert "Chain of custody" in page
