"""A complaint about the handling always reaches someone independent of the case complained
about, and when nobody independent exists, someone is told (issue 10 defect 3; seed 000 points
1–2: an independent route when the line is part of the problem; reports must not vanish).

Before the fix the complaint was routed when it was received, before everyone who handled the
original was excluded from it: in the demo, where the one coordinator handled every case, the
complaint then reached nobody and nobody was told."""

import pytest
from django.db import transaction
from django.utils import translation

from integriteit.access.rules import reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.models import AuditEntry
from integriteit.cases import routing, services
from integriteit.cases.constants import CaseRole
from integriteit.organisations.models import Organisation
from integriteit.outbox.models import OutboxMessage
from integriteit.outbox.services import _opened
from integriteit.outbox.tests.backends import LOCMEM, OUTBOX
from integriteit.reports import services as report_services
from integriteit.reports.constants import ExclusionReason
from integriteit.reports.models import ReportExclusion
from integriteit.reports.receipts import new_submission_token
from integriteit.testing import verified_client

from .flow import Flow, verified

pytestmark = pytest.mark.django_db

COMPLAINT = "De behandeling van mijn melding duurde veel te lang."


@pytest.fixture
def through_the_outbox(settings):
    settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND = OUTBOX, LOCMEM


def _complain(flow: Flow):
    complaint, _code = services.file_complaint(flow.report, COMPLAINT, new_submission_token())
    return complaint


def _visible(user, report) -> bool:
    return reports_visible_to(verified(user)).filter(pk=report.pk).exists()


def test_a_complaint_about_a_demo_case_reaches_the_government_wide_coordinator(people):
    """The demo: one coordinator handled the case, so the complaint goes to the BZK coordinator,
    who can open and handle it; nobody who handled the original sees it."""
    flow = Flow(people).to("closed")
    complaint = _complain(flow)

    bzk = people["bzk-coordinator"]
    assert complaint.assignments.filter(user=bzk, role=CaseRole.HANDLER, ended_at=None).exists()
    assert _visible(bzk, complaint)
    client = verified_client(bzk)
    assert client.get(f"/behandeling/{complaint.pk}/").status_code == 200
    response = client.post(f"/behandeling/{complaint.pk}/ontvangst/", {"text": "Ontvangen."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.acknowledged_at is not None
    for username in ("coordinator", "authority", "investigator"):
        assert not _visible(people[username], complaint), username
    # As every complaint handler: kept out of the case complained about.
    assert ReportExclusion.objects.filter(
        report_id=flow.pk, reason=ExclusionReason.HANDLES_COMPLAINT
    ).exists()
    assert AuditEntry.objects.filter(
        action="report.routed_around_coordinators", object_id=str(complaint.pk)
    ).exists()


def test_a_complaint_stays_in_the_organisation_when_an_independent_coordinator_exists(people):
    flow = Flow(people).to("closed")
    RoleAssignment.objects.create(
        user=people["coordinator-fin"],
        organisation=Organisation.objects.get(slug="bzk"),
        role=Role.COORDINATOR,
    )
    complaint = _complain(flow)
    assert not complaint.assignments.exists()
    assert _visible(people["coordinator-fin"], complaint)
    assert not _visible(people["bzk-coordinator"], complaint)


def test_nobody_independent_tells_the_administrator_with_one_mail(
    people, through_the_outbox, without_notifications
):
    """Outside BZK coordination (Defensie-like) nobody independent is left: the organisation's
    administrator gets exactly one mail, without contents, and the complaint waits unassigned."""
    Organisation.objects.filter(slug="bzk").update(outside_bzk_coordination=True)
    flow = Flow(people).to("closed")
    waiting = OutboxMessage.objects.count()
    with transaction.atomic():
        complaint = _complain(flow)
        rows = list(OutboxMessage.objects.order_by("pk")[waiting:])
    assert len(rows) == 1
    mail = _opened(rows[0])
    assert mail["to"] == [people["admin"].email]
    assert complaint.reference in mail["subject"]
    assert COMPLAINT not in mail["body"] and COMPLAINT not in mail["subject"]
    assert not complaint.assignments.exists()
    assert routing.unhandled_warning(complaint)
    entry = AuditEntry.objects.get(
        action="report.routed_around_coordinators", object_id=str(complaint.pk)
    )
    assert entry.detail == {"to": "nobody", "handlers": 0, "told": 1}


def test_when_the_bzk_coordinator_handled_the_original_the_administrator_is_told(
    people, mailoutbox, without_notifications
):
    """The BZK coordinator handled the original too (as its handler), so nobody independent is
    left: exactly one mail, to the administrator; an administrator kept out is never told."""
    flow = Flow(people)
    services.assign(
        flow.coordinator, flow.report, verified(people["bzk-coordinator"]), CaseRole.HANDLER
    )
    flow.to("closed")
    complaint = _complain(flow)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [people["admin"].email]
    assert not complaint.assignments.exists()

    mailoutbox.clear()
    report_services.exclude_people(complaint, [people["admin"]], ExclusionReason.NAMED)
    routing.route(complaint)
    assert mailoutbox == []


def test_the_case_page_warns_that_the_complaint_has_no_handler(people):
    Organisation.objects.filter(slug="bzk").update(outside_bzk_coordination=True)
    flow = Flow(people).to("closed")
    complaint = _complain(flow)
    # An independent coordinator appointed since sees the complaint, without handler.
    newcomer = people["coordinator-fin"]
    RoleAssignment.objects.create(
        user=newcomer, organisation=Organisation.objects.get(slug="bzk"), role=Role.COORDINATOR
    )
    with translation.override("en"):
        page = verified_client(newcomer).get(f"/en/behandeling/{complaint.pk}/")
    assert page.status_code == 200
    assert b"data-unhandled-complaint" in page.content
    services.acknowledge(verified(newcomer), complaint, "Ontvangen.")
    page = verified_client(newcomer).get(f"/behandeling/{complaint.pk}/")
    assert b"data-unhandled-complaint" not in page.content


def _about(page: str) -> str:
    start = page.index("data-complaint-about")
    return page[start : page.index("</p>", start)]


def test_the_complaint_page_names_the_report_it_is_about_linked_only_for_who_may_open_it(people):
    """Issue 10 defect 7: the complaint's case page did not say which report it is about. The
    reference is shown near the top; it links to the original only for someone the access
    rules let open it (a complaint's handler is kept out of the original)."""
    flow = Flow(people).to("closed")
    second = verified(people["coordinator-fin"])
    RoleAssignment.objects.create(
        user=second, organisation=Organisation.objects.get(slug="bzk"), role=Role.COORDINATOR
    )
    complaint = _complain(flow)
    original_url = f"/behandeling/{flow.pk}/"
    client = verified_client(second)
    # As a coordinator of the organisation, not yet the complaint's handler: a link.
    about = _about(client.get(f"/behandeling/{complaint.pk}/").content.decode())
    assert flow.report.reference in about and original_url in about
    services.assign(second, complaint, second, CaseRole.HANDLER)
    about = _about(client.get(f"/behandeling/{complaint.pk}/").content.decode())
    assert flow.report.reference in about and original_url not in about
    assert client.get(original_url).status_code == 404
    # An ordinary case page says nothing of the kind.
    other = Flow(people).report
    page = verified_client(people["coordinator"]).get(f"/behandeling/{other.pk}/")
    assert b"data-complaint-about" not in page.content
