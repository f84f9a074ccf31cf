"""Staff hear of what waits for them (issue 10): in the application and by exactly one e-mail
through the outbox, which names nothing of the case (SECURITY.md), and never about a case they
are excluded from."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.cases.constants import CaseRole
from integriteit.cases.tests.flow import Flow, verified
from integriteit.investigations import services as investigation_services
from integriteit.investigations.constants import IntervieweeRole
from integriteit.investigations.tests.helpers import Investigating, fake_render  # noqa: F401
from integriteit.notifications import services
from integriteit.notifications.constants import NotificationKind as K
from integriteit.notifications.models import Notification
from integriteit.outbox import services as outbox_services
from integriteit.reports import services as report_services
from integriteit.reports.constants import Phase

pytestmark = pytest.mark.django_db

DESCRIPTION = "Jan Jansen vervalst bonnen bij inkoop op de derde verdieping."


def kinds_of(user, report=None) -> list[str]:
    found = Notification.objects.filter(user=user)
    if report is not None:
        found = found.filter(report=report)
    return list(found.values_list("kind", flat=True))


def assert_one_mail_without_contents(outbox, user, report, before: int = 0) -> None:
    mails = outbox.mails_to(user)
    assert len(mails) == before + 1, [m.subject for m in mails]
    text = mails[-1].subject + mails[-1].body
    for secret in (report.reference, DESCRIPTION, "Jansen", str(report.organisation.name)):
        assert secret not in text
    assert "/notificaties/" in text or str(report.pk) in text or "/mijn-onderzoek/" in text


def test_a_new_report_tells_the_coordinator(people, make_report, outbox):
    coordinator = people["coordinator"]
    report, _code = outbox.run(make_report, description=DESCRIPTION)
    assert kinds_of(coordinator, report) == [K.NEW_REPORT]
    assert_one_mail_without_contents(outbox, coordinator, report)
    # Another organisation's coordinator hears nothing.
    assert kinds_of(people["coordinator-fin"]) == []


def test_a_reporters_message_tells_the_handler(people, outbox):
    flow = Flow(people, description=DESCRIPTION)
    outbox.run(flow.acknowledge)  # the coordinator becomes the handler
    before = len(outbox.mails_to(flow.coordinator))
    outbox.run(report_services.reporter_reply, flow.report, "Ik heb nog een vraag.")
    assert kinds_of(flow.coordinator, flow.report).count(K.REPORTER_MESSAGE) == 1
    assert_one_mail_without_contents(outbox, flow.coordinator, flow.report, before)


def test_an_assignment_tells_the_assignee(people, outbox):
    flow = Flow(people, description=DESCRIPTION)
    outbox.run(flow.assign_guide)
    assert kinds_of(flow.guide, flow.report) == [K.ASSIGNED]
    assert_one_mail_without_contents(outbox, flow.guide, flow.report)
    # The coordinator who assigned is not told of their own act.
    assert K.ASSIGNED not in kinds_of(flow.coordinator)


def test_a_follow_up_decision_waits_for_the_competent_authority(people, outbox):
    flow = Flow(people, description=DESCRIPTION).to(Phase.ASSESSMENT)
    flow.prepare_assessment()
    before = len(outbox.mails_to(flow.authority))
    outbox.run(flow.complete_assessment)
    assert kinds_of(flow.authority, flow.report).count(K.DECISION_WAITING) == 1
    assert_one_mail_without_contents(outbox, flow.authority, flow.report, before)


@pytest.mark.usefixtures("fake_render")
def test_a_deviation_waits_for_the_competent_authority(people, outbox):
    case = Investigating(people, description=DESCRIPTION)
    case.advance_to("inform_subject")
    authority = case.flow.authority
    before = len(outbox.mails_to(authority))
    outbox.run(
        investigation_services.request_deviation,
        case.flow.investigator,
        case.investigation,
        "inform_subject",
        "Bewijs veiligstellen.",
    )
    assert kinds_of(authority, case.flow.report).count(K.DEVIATION_WAITING) == 1
    assert_one_mail_without_contents(outbox, authority, case.flow.report, before)


@pytest.mark.usefixtures("fake_render")
def test_an_interview_record_waits_for_the_interviewee(people, outbox):
    case = Investigating(people, description=DESCRIPTION)
    case.advance_to("interviews")
    witness = people["manager"]
    interview = case.plan_interview(IntervieweeRole.WITNESS)
    before = len(outbox.mails_to(witness))  # the invitation of investigations itself
    outbox.run(case.record_interview, interview)
    assert kinds_of(witness, case.flow.report) == [K.RECORD_WAITING]
    assert_one_mail_without_contents(outbox, witness, case.flow.report, before)


# --- Access -----------------------------------------------------------------------------------


def test_a_person_excluded_from_the_case_is_never_told(people, make_report, make_staff, outbox):
    """A coordinator named in the report hears of neither the report nor the reporter's
    messages nor anything waiting on it; the other coordinator does."""
    named = make_staff(Role.COORDINATOR, "bzk", username="named-coordinator", email="n@x.example")
    report, _code = outbox.run(make_report, description=DESCRIPTION, involved=(named,))
    flow = Flow(people, report=report)
    outbox.run(flow.acknowledge)
    outbox.run(report_services.reporter_reply, flow.report, "Nog iets.")
    outbox.run(
        services.notify, [named], K.DECISION_WAITING, flow.report, services.case_link(report)
    )
    assert kinds_of(named) == []
    assert outbox.mails_to(named) == []
    assert K.NEW_REPORT in kinds_of(flow.coordinator, report)


def test_an_exclusion_after_the_fact_hides_the_notification(people, make_report, outbox):
    from integriteit.notifications import selectors
    from integriteit.reports.constants import ExclusionReason

    coordinator = verified(people["coordinator"])
    report, _code = outbox.run(make_report)
    assert selectors.unread_count(coordinator) == 1
    report_services.exclude_people(report, [coordinator], ExclusionReason.HANDLED_ORIGINAL)
    assert selectors.unread_count(coordinator) == 0
    assert selectors.unread_report_ids(coordinator) == set()


def test_a_second_event_before_reading_sends_no_second_mail(people, outbox):
    flow = Flow(people)
    outbox.run(flow.acknowledge)
    before = len(outbox.mails_to(flow.coordinator))
    outbox.run(report_services.reporter_reply, flow.report, "Eén.")
    outbox.run(report_services.reporter_reply, flow.report, "Twee.")
    assert kinds_of(flow.coordinator, flow.report).count(K.REPORTER_MESSAGE) == 2
    assert len(outbox.mails_to(flow.coordinator)) == before + 1


# --- The outbox ---------------------------------------------------------------------------


def test_the_outbox_delivers_each_mail_once(people, make_report, outbox):
    outbox.run(make_report)
    delivered = len(mail.outbox)
    assert delivered >= 1
    outbox_services.deliver()
    call_command("send_outbox")
    outbox_services.deliver(now=timezone.now() + datetime.timedelta(hours=1))
    assert len(mail.outbox) == delivered


def test_the_mail_waits_in_the_outbox_until_delivered(people, make_report, settings):
    """Without the after-commit hook (a crash right after the commit) `send_outbox` sends it,
    once."""
    settings.EMAIL_BACKEND = "integriteit.outbox.backend.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_report()  # the commit hooks of the test transaction never run
    assert mail.outbox == []
    assert outbox_services.waiting_count() >= 1
    call_command("send_outbox")
    delivered = len(mail.outbox)
    assert delivered >= 1 and outbox_services.waiting_count() == 0
    call_command("send_outbox")
    assert len(mail.outbox) == delivered


def test_routing_to_the_government_wide_coordinator_tells_them_once(people, make_report, outbox):
    """All coordinators named: the report is routed to BZK, whose coordinator hears of the
    new report once (not also of the routing's assignment)."""
    bzk = people["bzk-coordinator"]
    report, _code = outbox.run(make_report, involved=(people["coordinator"],))
    assert report.assignments.filter(user=bzk, role=CaseRole.HANDLER).exists()
    assert kinds_of(bzk, report) == [K.NEW_REPORT]
    assert len(outbox.mails_to(bzk)) == 1
    assert kinds_of(people["coordinator"]) == []
