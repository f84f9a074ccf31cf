"""The header per role (ui.navigation, filled by the apps): every page a role starts from is
linked from the navigation it sees, and it sees no link that it cannot open.

"A page a role starts from" is read from the URLconf: every pattern without a parameter that
answers a GET with 200 for that person, and for a staff member not for a visitor too (the
reporter's pages are the visitors' navigation). Steps inside a flow are reached from the page
before them and listed below with why.
"""

import pytest
from django.test import Client
from django.urls import reverse

from integriteit.access.tests.urlconf import patterns
from integriteit.accounts.demo import PEOPLE
from integriteit.ui.navigation import Audience, registered

pytestmark = pytest.mark.django_db

NOT_IN_NAVIGATION = {
    "healthz": "for load balancers",
    "ui:home": "the brand link of every page",
    "advisers:finder": "in the footer of every page",
    "reports:check": "a step of the report form",
    "reports:submit": "a step of the report form",
    "reports:received": "a step of the report form",
    "reports:registered": "after registering a report",
    "reports:mailbox": "after opening the mailbox",
    "reports:mailbox_approve_minutes": "from the mailbox",
    "reports:mailbox_logout": "from the mailbox",
    "cases:mailbox_evaluation": "from the mailbox",
    "cases:mailbox_complaint": "from the mailbox",
    "cases:mailbox_complaint_received": "after a complaint",
    "advisers:log_new": "from the conversation log",
    "registry:new": "from the registry",
    "prevention:declaration_new": "from my side activities",
    "prevention:interest_new": "from my side activities",
    "prevention:register_export": "a download on the register of side activities",
    "registry:import_start": "from the registry",
    "prevention:policy_new": "from the integrity policy page",
    "prevention:answered": "after answering a questionnaire by invitation link",
    "prevention:record_position": "from the page of the coordinator's position",
    "prevention:analyses:new": "from the risk analyses",
    "cases:evaluations_csv": "a download on the process evaluation page",
    "cases:evaluations_xlsx": "a download on the process evaluation page",
    "accounts:login": "from the start page, and wherever a login is needed",
    "accounts:second_factor": "after the password",
    "accounts:enrol": "after the password, once",
    "accounts:logout": "the log-out button",
    # Opens for anyone logged in ("nothing here for you"); linked for the people asked to
    # cooperate, which investigations/tests/test_portal*.py check.
    "investigations:portal": "linked only for interviewees and subjects",
}


def _start_pages() -> list[str]:
    return [
        pattern.name
        for pattern in patterns()
        if not pattern.parameters
        and pattern.name not in NOT_IN_NAVIGATION
        and not pattern.name.startswith("admin:")  # the admin's own pages, from admin:index
    ]


def _navigation(client: Client) -> set[str]:
    response = client.get(reverse("ui:home"))
    assert response.status_code == 200
    return {entry.url_name for entry in response.context["navigation"]}


def _opens(client: Client, name: str) -> bool:
    return client.get(reverse(name)).status_code == 200


def _check(client: Client, visitor: Client | None = None) -> None:
    shown = _navigation(client)
    cannot_open = sorted(name for name in shown if not _opens(client, name))
    assert cannot_open == [], "linked, but not for this person"
    unlinked = sorted(
        name
        for name in _start_pages()
        if name not in shown and _opens(client, name) and not (visitor and _opens(visitor, name))
    )
    assert unlinked == [], "opens for this person, but is linked from nowhere"


@pytest.mark.parametrize("username", [person.username for person in PEOPLE])
def test_each_role_sees_the_pages_it_uses_and_only_those(people, staff_client, username):
    _check(staff_client(people[username]), visitor=Client())


def test_a_visitor_sees_the_reporters_pages(db):
    client = Client()
    _check(client)
    assert {"reports:start", "reports:mailbox_login", "cases:process"} <= _navigation(client)


def test_a_password_only_login_sees_no_staff_entry(people):
    client = Client()
    client.force_login(people["coordinator"])  # no second factor
    staff = {entry.url_name for entry in registered() if entry.audience == Audience.STAFF}
    assert not _navigation(client) & staff


def test_the_pages_named_in_issue_9_are_linked_for_the_roles_that_use_them(people, staff_client):
    """Linked from nowhere before: the advisers' log, annual report, signals and rooms, the
    adviser register, the protocol page and the admin."""
    expected = {
        "adviser": {
            "advisers:log",
            "advisers:annual_list",
            "advisers:signals",
            "advisers:rooms",
        },
        "bzk-coordinator": {"advisers:register"},
        "coordinator": {"advisers:register", "investigations:protocol"},
        "admin": {"admin:index"},
    }
    for username, names in expected.items():
        assert names <= _navigation(staff_client(people[username])), username


def test_every_registered_entry_names_a_page():
    names = {pattern.name for pattern in patterns()}
    assert {entry.url_name for entry in registered()} <= names
    assert set(NOT_IN_NAVIGATION) <= names
