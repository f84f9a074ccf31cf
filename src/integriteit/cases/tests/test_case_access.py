"""Access per case (issue 3 "It must show"; SYSTEM.md "Need to know"; RULES R7):
- the process guide and the investigator see only the cases they are assigned to, and do only
  what their role on the case allows;
- the subject recorded on a case sees nothing of it, whatever role they hold;
- a complaint's handlers cannot see the case complained about;
- the reporter's identity is shown only to the coordinator and handlers, and reading it is
  audited;
- an assignment is refused for people who must not work on the case.
"""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from integriteit.access import rules
from integriteit.access.rules import Action
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.models import AuditEntry
from integriteit.cases import services
from integriteit.cases.access import ACTIONS_BY_CASE_ROLE
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import ExclusionReason
from integriteit.reports.models import Report, ReportExclusion
from integriteit.reports.receipts import new_submission_token

from .flow import Flow, verified

pytestmark = pytest.mark.django_db

REPORTER_NAME = "Sanne de Melder"
REPORTER_EMAIL = "sanne@example.org"
FILE = ("bewijs.txt", b"inhoud van het bewijs")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _requests(client, report: Report) -> dict:
    """Every staff view on one case, as the request that uses it."""
    base = f"/behandeling/{report.pk}/"
    attachment = report.attachments.first()
    requests = {
        "detail": lambda: client.get(base),
        "acknowledge": lambda: client.post(f"{base}ontvangst/", {"text": "Ontvangen."}),
        "message": lambda: client.post(f"{base}bericht/", {"text": "Een vraag."}),
        "step": lambda: client.post(f"{base}stap/start_assessment/"),
        "reopen": lambda: client.post(f"{base}heropenen/", {"reason": "Nieuwe feiten."}),
    }
    if attachment is not None:
        requests["attachment"] = lambda: client.get(f"{base}bijlage/{attachment.pk}/")
    return requests


def _sees_nothing(client, report: Report, user) -> None:
    """404 on every view (never 403), not in the queue, not even when searched for, and no
    trace of the attempt in the case."""
    before = (
        Report.objects.get(pk=report.pk).phase,
        report.messages.count(),
        AuditEntry.objects.filter(object_id=str(report.pk)).count(),
    )
    for view, request in _requests(client, report).items():
        response = request()
        assert response.status_code == 404, view
        assert report.reference not in response.content.decode(), view
    assert report.reference not in client.get("/behandeling/").content.decode()
    assert report.reference not in client.get("/behandeling/", {"q": "bonnen"}).content.decode()
    after = (
        Report.objects.get(pk=report.pk).phase,
        report.messages.count(),
        AuditEntry.objects.filter(object_id=str(report.pk)).count(),
    )
    assert after == before
    assert not rules.reports_visible_to(verified(user)).filter(pk=report.pk).exists()
    assert rules.allowed_actions(user, report) == frozenset()


# --- Process guide and investigator: only their own cases, only their role's actions --------


@pytest.fixture
def two_cases(people):
    """Two cases of the same organisation; the guide and investigator work on the first only."""
    mine = Flow(people, name=REPORTER_NAME, email=REPORTER_EMAIL, files=(FILE,))
    other = Flow(people, files=(FILE,))
    for flow in (mine, other):
        flow.acknowledge()
    services.assign(mine.coordinator, mine.report, mine.guide, CaseRole.PROCESS_GUIDE)
    mine.assign_investigator()
    return mine, other


@pytest.mark.parametrize(
    ("username", "role"),
    [("guide", CaseRole.PROCESS_GUIDE), ("investigator", CaseRole.INVESTIGATOR)],
)
def test_guide_and_investigator_see_only_their_cases(
    people, staff_client, two_cases, username, role
):
    mine, other = two_cases
    user = verified(people[username])
    # Holding the organisation role alone gives no case.
    assert RoleAssignment.objects.filter(user=user, organisation__slug="bzk").exists()
    assert set(rules.reports_visible_to(user).values_list("pk", flat=True)) == {mine.pk}
    assert rules.roles_on(user, mine.report) == {role}
    assert rules.allowed_actions(user, mine.report) == ACTIONS_BY_CASE_ROLE[role]
    assert rules.allowed_actions(user, other.report) == frozenset()

    client = staff_client(people[username])
    page = client.get(f"/behandeling/{mine.pk}/")
    assert page.status_code == 200 and mine.report.reference in page.content.decode()
    queue = client.get("/behandeling/").content.decode()
    assert mine.report.reference in queue and other.report.reference not in queue
    _sees_nothing(client, other.report, people[username])


def test_guide_does_only_what_a_process_guide_does(people, staff_client, two_cases):
    mine, _other = two_cases
    client = staff_client(people["guide"])
    base = f"/behandeling/{mine.pk}/"
    # Contact with the reporter: allowed.
    assert client.post(f"{base}bericht/", {"text": "Hoe gaat het met u?"}).status_code == 302
    assert mine.report.messages.filter(author=people["guide"]).count() == 1
    services.give_interim_feedback(mine.guide, mine.report, "Wij zijn bezig.")
    # Steps of the coordinator and downloads of evidence: not for the process guide.
    assert client.post(f"{base}stap/start_assessment/").status_code == 404
    assert client.get(f"{base}bijlage/{mine.report.attachments.get().pk}/").status_code == 404
    assert mine.report.phase == "acknowledged"
    refused: list[tuple[Callable[..., object], tuple[object, ...]]] = [
        (services.start_assessment, ()),
        (services.assign, (mine.investigator, CaseRole.HANDLER)),
        (services.close, ()),
        (services.reopen, ("Omdat het kan.",)),
    ]
    for service, args in refused:
        with pytest.raises(PermissionDenied):
            service(mine.guide, mine.report, *args)


def test_investigator_does_only_what_an_investigator_does(people, staff_client, two_cases):
    mine, _other = two_cases
    client = staff_client(people["investigator"])
    base = f"/behandeling/{mine.pk}/"
    response = client.get(f"{base}bijlage/{mine.report.attachments.get().pk}/")
    assert response.status_code == 200 and response.content == FILE[1]
    assert client.post(f"{base}bericht/", {"text": "Een vraag."}).status_code == 404
    assert client.post(f"{base}stap/start_assessment/").status_code == 404
    subject = services.record_subject(mine.investigator, mine.report, description="Een collega")
    assert subject.report_id == mine.pk
    refused: list[tuple[Callable[..., object], tuple[object, ...]]] = [
        (services.give_interim_feedback, ("Tussenbericht",)),
        (services.send_message, ("Een vraag",)),
        (services.record_disadvantage, ("Een signaal",)),
        (services.start_assessment, ()),
    ]
    for service, args in refused:
        with pytest.raises(PermissionDenied):
            service(mine.investigator, mine.report, *args)


@pytest.mark.parametrize("username", ["guide", "investigator"])
def test_access_ends_with_the_assignment(people, staff_client, two_cases, username):
    mine, _other = two_cases
    assignment = CaseAssignment.objects.get(report_id=mine.pk, user=people[username])
    services.end_assignment(mine.coordinator, assignment)
    _sees_nothing(staff_client(people[username]), mine.report, people[username])


def test_competent_authority_sees_only_assigned_cases(people, staff_client, two_cases):
    mine, other = two_cases
    authority = verified(people["authority"])
    assert not rules.reports_visible_to(authority).exists()
    mine.assign_authority()
    assert set(rules.reports_visible_to(authority).values_list("pk", flat=True)) == {mine.pk}
    assert (
        rules.allowed_actions(authority, mine.report)
        == (ACTIONS_BY_CASE_ROLE[CaseRole.COMPETENT_AUTHORITY])
    )
    _sees_nothing(staff_client(people["authority"]), other.report, authority)


# --- The subject sees nothing of the report ---------------------------------------------------


def test_subject_sees_nothing_even_as_coordinator(people, staff_client):
    employee = people["employee"]
    RoleAssignment.objects.create(
        user=employee, organisation=Organisation.objects.get(slug="bzk"), role=Role.COORDINATOR
    )
    flow = Flow(people, files=(FILE,))
    other = Flow(people, description="Iets heel anders.")
    client = staff_client(employee)
    # As coordinator the employee sees the case until they are recorded as its subject.
    assert client.get(f"/behandeling/{flow.pk}/").status_code == 200
    flow.acknowledge()
    flow.assign_investigator()
    services.record_subject(flow.investigator, flow.report, person=employee)
    assert ReportExclusion.objects.filter(report_id=flow.pk, reason=ExclusionReason.NAMED).exists()
    _sees_nothing(client, flow.report, employee)
    # Nothing they do can bring them onto the case.
    with translation.override("en"), pytest.raises(services.CaseError, match="excluded"):
        services.assign(flow.coordinator, flow.report, employee, CaseRole.HANDLER)
    # They still coordinate the case that does not concern them.
    assert client.get(f"/behandeling/{other.pk}/").status_code == 200


def test_subject_loses_an_earlier_assignment(people, staff_client):
    flow = Flow(people)
    flow.acknowledge()
    flow.assign_investigator()
    flow.assign_authority()
    # The authority turns out to be the person the report is about.
    services.record_subject(flow.investigator, flow.report, person=flow.authority)
    _sees_nothing(staff_client(people["authority"]), flow.report, flow.authority)
    with pytest.raises(PermissionDenied):
        flow.decide("investigation")


# --- A complaint's handlers cannot see the original case -------------------------------------


@pytest.fixture
def complaint(people):
    """A handled case and a complaint about it; a second bzk coordinator handles the complaint."""
    original = Flow(people, name=REPORTER_NAME, email=REPORTER_EMAIL, files=(FILE,))
    original.to("closed")
    # The second coordinator is there when the complaint arrives, so it stays in the
    # organisation (without one it would go to the government-wide coordinator, issue 10
    # defect 3; cases/tests/test_complaint_routing.py).
    second = verified(people["coordinator-fin"])
    RoleAssignment.objects.create(
        user=second, organisation=Organisation.objects.get(slug="bzk"), role=Role.COORDINATOR
    )
    complaint, _code = services.file_complaint(
        original.report, "De behandeling duurde te lang.", new_submission_token()
    )
    return original, complaint, second


def test_complaint_is_kept_from_the_original_handlers(people, staff_client, complaint):
    original, complaint_report, _second = complaint
    assert complaint_report.concerns_report_id == original.pk
    for username in ("coordinator", "authority", "investigator"):
        _sees_nothing(staff_client(people[username]), complaint_report, people[username])


def test_complaint_handler_cannot_see_the_original_case(people, staff_client, complaint):
    original, complaint_report, second = complaint
    client = staff_client(second)
    # Before taking the complaint, as a coordinator of the organisation, they see both.
    assert client.get(f"/behandeling/{original.pk}/").status_code == 200
    services.assign(second, complaint_report, second, CaseRole.HANDLER)
    assert client.get(f"/behandeling/{complaint_report.pk}/").status_code == 200
    _sees_nothing(client, original.report, second)
    assert ReportExclusion.objects.filter(
        report_id=original.pk, reason=ExclusionReason.HANDLES_COMPLAINT
    ).exists()


def test_acknowledging_a_complaint_makes_a_handler_who_cannot_see_the_original(
    people, staff_client, complaint
):
    """Acknowledging makes the coordinator the complaint's handler: the same rule applies."""
    original, complaint_report, second = complaint
    services.acknowledge(second, complaint_report, "Wij hebben uw klacht ontvangen.")
    assert complaint_report.assignments.filter(user=second, role=CaseRole.HANDLER).exists()
    _sees_nothing(staff_client(second), original.report, second)


def test_complaint_handler_assigned_by_another_cannot_see_the_original(
    people, staff_client, complaint
):
    original, complaint_report, second = complaint
    handler = verified(people["adviser"])
    services.assign(second, complaint_report, handler, CaseRole.HANDLER)
    client = staff_client(handler)
    assert client.get(f"/behandeling/{complaint_report.pk}/").status_code == 200
    _sees_nothing(client, original.report, handler)


# --- The reporter's identity: coordinator and handlers only, and audited (RULES R7) -----------


@pytest.fixture
def named_case(people):
    flow = Flow(people, name=REPORTER_NAME, email=REPORTER_EMAIL)
    flow.acknowledge()
    services.assign(flow.coordinator, flow.report, flow.guide, CaseRole.PROCESS_GUIDE)
    flow.assign_investigator()
    flow.assign_authority()
    handler = verified(people["adviser"])
    services.assign(flow.coordinator, flow.report, handler, CaseRole.HANDLER)
    return flow


def _identity_reads(report, user):
    return AuditEntry.objects.filter(
        action="identity.read", object_id=str(report.pk), actor_id=user.pk
    )


@pytest.mark.parametrize("username", ["coordinator", "adviser"])
def test_identity_shown_to_coordinator_and_handler_and_audited(
    people, staff_client, named_case, username
):
    user = people[username]
    report = named_case.report
    assert rules.can(verified(user), Action.VIEW_IDENTITY, report)
    page = staff_client(user).get(f"/behandeling/{report.pk}/").content.decode()
    assert REPORTER_NAME in page and REPORTER_EMAIL in page
    assert _identity_reads(report, user).count() == 1


@pytest.mark.parametrize("username", ["guide", "investigator", "authority"])
def test_identity_hidden_from_other_roles(people, staff_client, named_case, username):
    user = people[username]
    report = named_case.report
    assert not rules.can(verified(user), Action.VIEW_IDENTITY, report)
    response = staff_client(user).get(f"/behandeling/{report.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert REPORTER_NAME not in page and REPORTER_EMAIL not in page
    assert not _identity_reads(report, user).exists()


# --- Assignments refused for people who must not work on the case ----------------------------


def _refused(flow, assignee, role, reason):
    report = flow.report
    audit_before = AuditEntry.objects.filter(action="case.assigned").count()
    assert reason in services.assignment_refusals(report, assignee, role)
    with pytest.raises(services.CaseError) as refused:
        services.assign(flow.coordinator, report, assignee, role)
    assert reason in str(refused.value)
    assert not report.assignments.filter(user=assignee, role=role).exists()
    assert AuditEntry.objects.filter(action="case.assigned").count() == audit_before
    assert not rules.reports_visible_to(verified(assignee)).filter(pk=report.pk).exists()


def test_assignment_refused_for_an_excluded_person(people):
    # The line above the named employee, kept out on the reporter's request.
    flow = Flow(people, involved=(people["employee"],), route_around_line=True)
    for username in ("manager", "director"):
        _refused(flow, people[username], CaseRole.HANDLER, "This person is excluded from the case.")


def test_assignment_refused_for_a_named_person(people):
    flow = Flow(people, involved=(people["guide"],))
    for role in CaseRole:
        _refused(flow, flow.guide, role, "This person is named in the report.")


def test_assignment_refused_for_a_declared_conflict(people):
    flow = Flow(people, involved=(people["employee"],))
    services.declare_conflict(flow.guide, people["employee"])
    assert AuditEntry.objects.filter(action="conflict.declared", actor_id=flow.guide.pk).exists()
    _refused(
        flow,
        flow.guide,
        CaseRole.PROCESS_GUIDE,
        "This person declared a conflict of interest with someone named.",
    )
    # A conflict with someone the case does not name does not stand in the way.
    services.declare_conflict(flow.investigator, people["employee-fin"])
    flow.assign_investigator()


def test_assignment_refused_for_a_conflict_with_the_recorded_subject(people):
    flow = Flow(people)
    flow.acknowledge()
    flow.assign_investigator()
    services.record_subject(flow.investigator, flow.report, person=people["employee"])
    services.declare_conflict(flow.authority, people["employee"])
    _refused(
        flow,
        flow.authority,
        CaseRole.COMPETENT_AUTHORITY,
        "This person declared a conflict of interest with someone named.",
    )


def test_investigator_from_the_subject_unit_refused(people):
    flow = Flow(people)
    flow.acknowledge()
    # The subject works in the investigator's unit (Directie Bedrijfsvoering).
    subject_person = people["adviser"]
    assert subject_person.unit_id == flow.investigator.unit_id
    services.record_subject(flow.coordinator, flow.report, person=subject_person)
    _refused(
        flow,
        flow.investigator,
        CaseRole.INVESTIGATOR,
        "An investigator may not work in the subject's unit.",
    )
    # The same person may take another role on the case.
    services.assign(flow.coordinator, flow.report, flow.investigator, CaseRole.HANDLER)


def test_assignment_refused_twice_for_the_same_role(people):
    flow = Flow(people)
    flow.assign_authority()
    with pytest.raises(services.CaseError, match="already has this role"):
        services.assign(flow.coordinator, flow.report, flow.authority, CaseRole.COMPETENT_AUTHORITY)


def test_unrelated_report_needs_the_assign_action(people):
    flow = Flow(people)
    with pytest.raises(PermissionDenied):
        services.assign(flow.guide, flow.report, flow.investigator, CaseRole.INVESTIGATOR)
    fin = verified(people["coordinator-fin"])
    with pytest.raises(PermissionDenied):
        services.assign(fin, flow.report, fin, CaseRole.HANDLER)
