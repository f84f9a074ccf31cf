"""Role × view × object matrix for the staff workspace (SECURITY.md "Tests that prove it").

For every demo person and every staff view or action on a report, the expected outcome comes
from one table (`ALLOWED`): allowed with its effect, or 404, never 403, so a person without access
cannot learn that a report exists. The named subject and their line are covered, as are tampered
ids and a login without the second factor.
"""

import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client

from integriteit.access import rules
from integriteit.access.rules import Action
from integriteit.accounts.constants import Role
from integriteit.accounts.demo import PEOPLE
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.models import AuditEntry
from integriteit.cases import services as case_services
from integriteit.cases.access import HANDLING
from integriteit.organisations.models import Organisation
from integriteit.reports import services
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.testing import make_report

pytestmark = pytest.mark.django_db

USERNAMES = [person.username for person in PEOPLE]
# (username, organisation of the report) pairs that may act on a report nobody in it names.
ALLOWED = {("coordinator", "bzk"), ("coordinator-fin", "fin")}
ORGANISATIONS = ("bzk", "fin")
VIEWS = ("detail", "acknowledge", "message", "assess", "attachment", "queue")
REGISTER_ORGS = {
    "coordinator": {"bzk"},
    "manager": {"bzk"},
    "director": {"bzk"},
    "adviser": {"bzk"},
    "adviser-ext": {"bzk", "fin"},  # external adviser serving both (issue 5 demo)
    "coordinator-fin": {"fin"},
}
AUDIT_READERS = {"auditor"}
FILE = ("bewijs.txt", b"inhoud van het bewijs")


def test_table_covers_every_demo_person():
    assert len(USERNAMES) == 14
    assert {u for u, _o in ALLOWED} | set(REGISTER_ORGS) | AUDIT_READERS <= set(USERNAMES)


@pytest.fixture
def reports(people):
    """One report per organisation, each naming an employee with the line kept out."""
    made = {}
    for slug, named in (("bzk", "employee"), ("fin", "employee-fin")):
        report, _code = make_report(
            slug, involved=(people[named],), route_around_line=True, files=(FILE,)
        )
        made[slug] = report
    return made


def _acknowledge_as_handler(people, report: Report) -> None:
    handler = people["coordinator" if report.organisation.slug == "bzk" else "coordinator-fin"]
    handler.is_verified = lambda: True
    case_services.acknowledge(handler, report, "Ontvangen.")


def _request(client: Client, view: str, report: Report):
    base = f"/behandeling/{report.pk}/"
    if view == "detail":
        return client.get(base)
    if view == "acknowledge":
        return client.post(f"{base}ontvangst/", {"text": "Ontvangen, dank u."})
    if view == "message":
        return client.post(f"{base}bericht/", {"text": "Een vraag van de behandelaar."})
    if view == "assess":
        # Classification is part of the intake; the step into it is the assessment action.
        return client.post(f"{base}stap/start_assessment/")
    if view == "attachment":
        return client.get(f"{base}bijlage/{report.attachments.get().pk}/")
    if view == "queue":
        return client.get("/behandeling/")
    raise AssertionError(view)


def _state(report: Report) -> tuple:
    report = Report.objects.get(pk=report.pk)
    return (
        report.acknowledged_at,
        report.classified_at,
        report.phase,
        report.messages.count(),
        AuditEntry.objects.filter(object_id=str(report.pk)).exclude(actor_label="reporter").count(),
    )


def _assert_allowed(view: str, response, report: Report, before: tuple, user) -> None:
    after = Report.objects.get(pk=report.pk)
    if view == "detail":
        assert response.status_code == 200
        assert report.reference in response.content.decode()
        assert AuditEntry.objects.filter(
            action="report.read", object_id=str(report.pk), actor_id=user.pk
        ).exists()
    elif view == "acknowledge":
        assert response.status_code == 302
        assert after.acknowledged_at is not None and before[0] is None
    elif view == "message":
        assert response.status_code == 302
        assert after.messages.count() == before[3] + 1
    elif view == "assess":
        assert response.status_code == 302
        assert before[2] == Phase.ACKNOWLEDGED and after.phase == Phase.ASSESSMENT
        assert AuditEntry.objects.filter(
            action="case.start_assessment", object_id=str(report.pk), actor_id=user.pk
        ).exists()
    elif view == "attachment":
        assert response.status_code == 200
        assert response.content == FILE[1]
        assert AuditEntry.objects.filter(action="attachment.read", actor_id=user.pk).exists()
    elif view == "queue":
        assert response.status_code == 200
        assert report.reference in response.content.decode()


def _assert_denied(view: str, response, report: Report, before: tuple) -> None:
    if view == "queue":
        # Someone with no case to handle is sent to her own work (ui.landing), not to the queue.
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert urlsplit(response.url).path != "/behandeling/", response.url
        assert report.reference not in response.content.decode()
    else:
        assert response.status_code == 404, f"{view}: {response.status_code}"
        assert report.reference not in response.content.decode()
    assert _state(report) == before, "a denied request changed the report or its audit trail"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("username", USERNAMES)
def test_matrix(people, staff_client, reports, username, view):
    user = people[username]
    client = staff_client(user)
    for slug in ORGANISATIONS:
        report = reports[slug]
        if view == "assess":
            _acknowledge_as_handler(people, report)
        before = _state(report)
        response = _request(client, view, report)
        if (username, slug) in ALLOWED:
            _assert_allowed(view, response, report, before, user)
        else:
            _assert_denied(view, response, report, before)
        assert response.status_code != 403


@pytest.mark.parametrize("view", VIEWS)
def test_coordinator_named_in_a_report_is_excluded(people, staff_client, view):
    named, _code = make_report(involved=(people["coordinator"],), files=(FILE,))
    other, _code = make_report(files=(FILE,))
    client = staff_client(people["coordinator"])
    if view == "assess":
        _acknowledge_as_handler(people, other)
        RoleAssignment.objects.create(
            user=people["coordinator-fin"],
            organisation=Organisation.objects.get(slug="bzk"),
            role=Role.COORDINATOR,
        )
        fin = people["coordinator-fin"]
        fin.is_verified = lambda: True
        case_services.acknowledge(fin, named, "Ontvangen.")
    before = _state(named)
    _assert_denied(view, _request(client, view, named), named, before)
    # The same person still handles the report that does not name them.
    before = _state(other)
    _assert_allowed(view, _request(client, view, other), other, before, people["coordinator"])


@pytest.mark.parametrize("username", ["manager", "director"])
def test_line_above_is_excluded_even_as_coordinator(people, staff_client, username):
    """Give the named employee's managers the coordinator role: the report that asked to keep
    the line out stays invisible to them; one that did not ask is visible."""
    RoleAssignment.objects.create(
        user=people[username],
        organisation=Organisation.objects.get(slug="bzk"),
        role=Role.COORDINATOR,
    )
    around, _ = make_report(involved=(people["employee"],), route_around_line=True)
    plain, _ = make_report(involved=(people["employee"],), route_around_line=False)
    client = staff_client(people[username])
    assert client.get(f"/behandeling/{around.pk}/").status_code == 404
    assert client.get(f"/behandeling/{plain.pk}/").status_code == 200
    queue = client.get("/behandeling/").content.decode()
    assert around.reference not in queue and plain.reference in queue


def test_named_subject_is_excluded_even_as_coordinator(people, staff_client):
    RoleAssignment.objects.create(
        user=people["employee"],
        organisation=Organisation.objects.get(slug="bzk"),
        role=Role.COORDINATOR,
    )
    named, _ = make_report(involved=(people["employee"],))
    other, _ = make_report()
    client = staff_client(people["employee"])
    assert client.get(f"/behandeling/{named.pk}/").status_code == 404
    assert client.get(f"/behandeling/{other.pk}/").status_code == 200
    # Searching for the text does not reveal it either.
    queue = client.get("/behandeling/", {"q": "bonnen"}).content.decode()
    assert named.reference not in queue and other.reference in queue


@pytest.mark.parametrize("view", ["detail", "acknowledge", "message", "assess", "attachment"])
def test_random_or_tampered_ids_give_404(people, staff_client, reports, view):
    client = staff_client(people["coordinator"])
    ghost = Report(pk=uuid.uuid4(), reference="2026-XXXXXX")
    base = f"/behandeling/{ghost.pk}/"
    requests = {
        "detail": lambda: client.get(base),
        "acknowledge": lambda: client.post(f"{base}ontvangst/", {"text": "x"}),
        "message": lambda: client.post(f"{base}bericht/", {"text": "x"}),
        "assess": lambda: client.post(f"{base}stap/start_assessment/"),
        "attachment": lambda: client.get(f"{base}bijlage/{uuid.uuid4()}/"),
    }
    assert requests[view]().status_code == 404
    # Not a UUID at all.
    assert client.get("/behandeling/not-a-uuid/").status_code == 404
    # Another report's attachment under a report the coordinator may see.
    own, foreign = reports["bzk"], reports["fin"]
    foreign_file = foreign.attachments.get().pk
    assert client.get(f"/behandeling/{own.pk}/bijlage/{foreign_file}/").status_code == 404
    assert client.get(f"/behandeling/{own.pk}/bijlage/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_password_only_login_sees_nothing(people, reports, view):
    client = Client()
    client.force_login(people["coordinator"])  # no second factor
    report = reports["bzk"]
    before = _state(report)
    response = _request(client, view, report)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweede-factor/")
    assert _state(report) == before


def test_anonymous_visitor_is_sent_to_login(reports):
    report = reports["bzk"]
    response = Client().get(f"/behandeling/{report.pk}/")
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_drafts_are_invisible(people, staff_client):
    from integriteit.reports.constants import Relation
    from integriteit.reports.sealing import Content, Identity

    draft = services.save_draft(
        None,
        services.ReportInput(
            organisation=Organisation.objects.get(slug="bzk"),
            kind="other",
            relation=Relation.EMPLOYEE,
            content=Content(description="Nog niet verstuurd", raised_before="no"),
            identity=Identity(),
        ),
    )
    client = staff_client(people["coordinator"])
    assert client.get(f"/behandeling/{draft.pk}/").status_code == 404
    assert draft.reference not in client.get("/behandeling/").content.decode()


# The rules module itself, per role.


def _verified(user):
    user.is_verified = lambda: True
    return user


@pytest.mark.parametrize("username", USERNAMES)
def test_rules_per_role(people, reports, username):
    user = _verified(people[username])
    visible = set(rules.reports_visible_to(user).values_list("pk", flat=True))
    expected = {reports[slug].pk for slug in ORGANISATIONS if (username, slug) in ALLOWED}
    assert visible == expected
    for slug in ORGANISATIONS:
        # The organisation's coordinator handles the case; the decision and measures belong to
        # the competent authority (seed 002), so a coordinator never holds those two.
        expected_actions = HANDLING if (username, slug) in ALLOWED else frozenset()
        assert rules.allowed_actions(user, reports[slug]) == expected_actions, slug
        assert Action.DECIDE not in expected_actions and Action.MEASURE not in expected_actions
        for action in Action:
            assert rules.can(user, action, reports[slug]) == (action in expected_actions), (
                slug,
                action,
            )
    registering = set(
        rules.organisations_user_can_register_for(user).values_list("slug", flat=True)
    )
    assert registering == REGISTER_ORGS.get(username, set())
    assert rules.can_read_audit_trail(user) == (username in AUDIT_READERS)


@pytest.mark.parametrize("username", USERNAMES)
def test_rules_refuse_unverified_users(people, reports, username):
    user = people[username]
    user.is_verified = lambda: False
    assert not rules.reports_visible_to(user).exists()
    assert not any(rules.can(user, action, reports["bzk"]) for action in Action)
    assert not rules.organisations_user_can_register_for(user).exists()
    assert not rules.can_read_audit_trail(user)


def test_rules_exclude_named_coordinator(people):
    coordinator = _verified(people["coordinator"])
    named, _ = make_report(involved=(coordinator,))
    assert not rules.reports_visible_to(coordinator).filter(pk=named.pk).exists()
    assert rules.allowed_actions(coordinator, named) == frozenset()


def test_inactive_user_sees_nothing(people, reports):
    coordinator = _verified(people["coordinator"])
    coordinator.is_active = False
    assert not rules.reports_visible_to(coordinator).exists()
