"""`manage.py load_demo` shows the product working (issue 10 "Demo"): a case in every phase,
each seen by the demo logins the README names and by no one else, an overdue acknowledgement
whenever the demo is loaded, an adviser's conversation log; loading twice makes nothing twice."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from integriteit.accounts.models import RoleAssignment, User
from integriteit.advisers.models import ConversationLogEntry
from integriteit.audit.models import AuditEntry
from integriteit.cases.demo import CASES, OVERDUE_RECEIVED_DAYS_AGO, demo_case, receipt_code
from integriteit.cases.models import AftercareAction
from integriteit.reports.constants import Kind, Phase
from integriteit.reports.models import Message, Report
from integriteit.testing import ensure_reference_data, verified_client

# The logins of the README's demo table that handle cases, and two that handle none.
CASE_LOGINS = [
    "coordinator",
    "complaints",
    "authority",
    "investigator",
    "guide",
    "coordinator-fin",
    "manager",
    "employee",
]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    ensure_reference_data()
    load_demo()
    return {case.key: demo_case(case.key) for case in CASES}


def counts() -> dict[str, int]:
    return {
        "reports": Report.objects.count(),
        "messages": Message.objects.count(),
        "log": ConversationLogEntry.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_loading_twice_makes_nothing_twice(demo):
    before = counts()
    output = load_demo()
    assert counts() == before
    # The second load names the same cases, with the receipt codes that open their mailboxes.
    for case in CASES:
        assert demo[case.key].reference in output
    assert before["reports"] == len(CASES)


def test_the_overdue_case_is_overdue_whenever_the_demo_is_loaded(demo):
    overdue, received = demo["overdue"], demo["received"]
    now = timezone.now()
    assert overdue.acknowledged_at is None and overdue.acknowledgement_due < now
    assert (now - overdue.received_at).days == OVERDUE_RECEIVED_DAYS_AGO
    assert received.acknowledgement_due > now
    # The coordinator's queue filtered on "acknowledgement overdue" lists it, and only it.
    page = (
        verified_client(User.objects.get(username="coordinator"))
        .get("/behandeling/", {"deadline": "ack_overdue"})
        .content.decode()
    )
    assert overdue.reference in page
    assert received.reference not in page


def test_a_case_in_every_phase(demo):
    """Loading is one test's fixture (it takes seconds): the checks of each case share it."""
    assert {key: report.phase for key, report in demo.items()} == {
        case.key: case.phase for case in CASES
    }
    assert demo["aftercare"].aftercare_actions.filter(done_at__isnull=True).exists()
    assert AftercareAction.objects.filter(report=demo["closed"], done_at__isnull=False).exists()
    complaint = demo["complaint"]
    assert complaint.kind == Kind.HANDLING_COMPLAINT
    assert complaint.concerns_report_id == demo["closed"].pk
    assert demo["investigation"].phase == Phase.INVESTIGATION


def test_each_case_is_seen_by_its_demo_logins_only(demo):
    clients = {name: verified_client(User.objects.get(username=name)) for name in CASE_LOGINS}
    seen = {
        (case.key, name): client.get(f"/behandeling/{demo[case.key].pk}/").status_code
        for case in CASES
        for name, client in clients.items()
    }
    assert seen == {
        (case.key, name): 200 if name in case.seen_by else 404
        for case in CASES
        for name in CASE_LOGINS
    }


def test_receipt_codes_open_the_reporters_mailboxes(demo, client):
    response = client.post("/postbus/", {"code": receipt_code("aftercare")})
    assert response.status_code == 302 and response["Location"] == "/postbus/berichten/"
    assert demo["aftercare"].reference in client.get("/postbus/berichten/").content.decode()


def test_the_confidential_adviser_has_a_conversation_log(demo):
    adviser = User.objects.get(username="adviser")
    entries = ConversationLogEntry.objects.filter(adviser__user=adviser)
    assert entries.count() >= 3
    assert entries.exclude(sealed_notes=None).exists()
    page = verified_client(adviser).get("/vertrouwenspersonen/logboek/")
    assert page.status_code == 200
    for entry in entries:
        assert f"/vertrouwenspersonen/logboek/{entry.pk}/" in page.content.decode()
