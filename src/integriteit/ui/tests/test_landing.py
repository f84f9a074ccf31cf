"""Where each role lands after login and on the staff start page (issue 10 "Landing per role"):
on its own work, decided by one function (ui.landing.landing_for) with one precedence for
people with several roles."""

import pytest
from django.test import Client

from integriteit.accounts.constants import Role
from integriteit.accounts.demo import DEMO_PASSWORD
from integriteit.accounts.models import RoleAssignment
from integriteit.accounts.tests.factories import RoleAssignmentFactory
from integriteit.audit.models import AuditEntry
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.organisations.models import Organisation
from integriteit.testing import current_code
from integriteit.ui.landing import landing_for, landing_of

pytestmark = pytest.mark.django_db

QUEUE = "/behandeling/"
AWAITING_MY_DECISION = "/behandeling/?phase=awaiting_decision&assignee=mine"
MY_CASES = "/behandeling/?assignee=mine"
LOG = "/vertrouwenspersonen/logboek/"
MANAGER_TOOLKIT = "/meldproces/#leidinggevende"
MY_INVESTIGATIONS = "/mijn-onderzoek/"

BY_USERNAME = {
    "coordinator": QUEUE,
    "coordinator-fin": QUEUE,
    "authority": AWAITING_MY_DECISION,
    "investigator": "/onderzoek/",
    "guide": MY_CASES,
    "adviser": LOG,
    "adviser-ext": LOG,
    "manager": MANAGER_TOOLKIT,
    "director": MANAGER_TOOLKIT,
    "employee": MY_INVESTIGATIONS,
    "employee-fin": MY_INVESTIGATIONS,
    "bzk-coordinator": "/behandeling/evaluaties/",
    "auditor": "/audit/",
    "admin": "/beheer/",
}


def verified(user):
    user.is_verified = lambda: True
    return user


def also(user, role: str, organisation: str = "bzk") -> None:
    RoleAssignmentFactory.create(
        user=user, role=role, organisation=Organisation.objects.get(slug=organisation)
    )


@pytest.mark.parametrize("username", sorted(BY_USERNAME))
def test_each_role_lands_on_its_own_work(people, username):
    assert landing_for(verified(people[username])) == BY_USERNAME[username]


@pytest.mark.parametrize(
    ("username", "extra", "expected"),
    [
        # Case work with legal terms first; the coordinator's queue above all.
        ("coordinator", Role.CONFIDENTIAL_ADVISER, QUEUE),
        ("coordinator", Role.COMPETENT_AUTHORITY, QUEUE),
        ("authority", Role.INVESTIGATOR, AWAITING_MY_DECISION),
        ("investigator", Role.MANAGER, "/onderzoek/"),
        ("manager", Role.CONFIDENTIAL_ADVISER, LOG),
        ("employee", Role.MANAGER, MANAGER_TOOLKIT),
        ("auditor", Role.MANAGER, MANAGER_TOOLKIT),
    ],
    ids=[
        "coordinator-and-adviser",
        "coordinator-and-authority",
        "authority-and-investigator",
        "investigator-and-manager",
        "manager-and-adviser",
        "employee-and-manager",
        "auditor-and-manager",
    ],
)
def test_several_roles_follow_the_precedence(people, username, extra, expected):
    user = verified(people[username])
    if extra == Role.CONFIDENTIAL_ADVISER:
        from integriteit.advisers.models import ConfidentialAdviser

        adviser = ConfidentialAdviser.objects.filter(user=people["adviser"]).first()
        assert adviser is not None
        ConfidentialAdviser.objects.filter(pk=adviser.pk).update(user=user)
    else:
        also(user, extra)
    assert landing_for(user) == expected


def test_a_handler_without_the_role_lands_on_the_queue(people, make_report):
    report, _code = make_report("bzk")
    employee = verified(people["employee"])
    CaseAssignment.objects.create(report=report, user=employee, role=CaseRole.HANDLER)
    landing = landing_of(employee)
    assert landing is not None and landing.name == "coordinator"
    assert landing_for(employee) == QUEUE


def test_a_role_row_written_without_the_key_does_not_count(people):
    employee = verified(people["employee"])
    RoleAssignment.objects.filter(user=employee).update(role=Role.COORDINATOR)  # no new seal
    assert landing_for(employee) == MY_INVESTIGATIONS
    assert AuditEntry.objects.filter(action="integrity.alert").exists()


@pytest.mark.parametrize("username", ["coordinator", "authority", "adviser", "manager", "employee"])
def test_the_login_lands_there(people, username):
    client = Client()
    client.post("/account/inloggen/", {"username": username, "password": DEMO_PASSWORD})
    response = client.post("/account/tweede-factor/", {"token": current_code(people[username])})
    assert response.status_code == 302
    assert response["Location"] == BY_USERNAME[username]


@pytest.mark.parametrize("username", ["coordinator", "adviser", "employee", "manager"])
def test_the_staff_start_page_lands_there(people, staff_client, username):
    response = staff_client(people[username]).get("/werkplek/")
    assert response["Location"] == BY_USERNAME[username]


def test_the_start_page_asks_for_the_login_first(people):
    assert Client().get("/werkplek/")["Location"].startswith("/account/inloggen/")


@pytest.mark.parametrize("username", ["adviser", "employee", "manager", "auditor"])
def test_no_empty_queue_for_people_without_cases(people, staff_client, username):
    response = staff_client(people[username]).get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == BY_USERNAME[username]


def test_someone_with_a_case_keeps_the_queue(people, staff_client, make_report):
    report, _code = make_report("bzk")
    CaseAssignment.objects.create(
        report=report, user=people["manager"], role=CaseRole.PROCESS_GUIDE
    )
    response = staff_client(people["manager"]).get(QUEUE)
    assert response.status_code == 200
    assert report.reference in response.content.decode()
