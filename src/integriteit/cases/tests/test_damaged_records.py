"""A tampered ciphertext is skipped and flagged, never a server error (issue 8 item 10): the page
shows the rest with a plain note, and `integrity.alert` is in the audit trail. Where a page
cannot be shown without the damaged record (a download), a clear page instead of a 500.

Pages are requested under /en/ so the note is matched in English (the site defaults to Dutch)."""

from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from integriteit.audit.models import AuditEntry
from integriteit.cases import services
from integriteit.cases.models import Assessment
from integriteit.investigations.models import Investigation
from integriteit.reports.constants import MessageKind, Phase, Sender
from integriteit.reports.models import Attachment, Message, Report
from integriteit.reports.sealing import attachment_path
from integriteit.reports.services import post_message
from integriteit.ui.integrity import UNREADABLE_STATUS

from .flow import Flow

pytestmark = pytest.mark.django_db

NOTE = "This item could not be read. It has been reported to the administrators."


def tamper(obj, field: str) -> None:
    """Flip one bit of a stored ciphertext, as someone with write access to the database could."""
    blob = bytearray(bytes(getattr(obj, field)))
    blob[-1] ^= 0x01
    type(obj).objects.filter(pk=obj.pk).update(**{field: bytes(blob)})


def alerts() -> list[tuple[str, str, dict]]:
    return [
        (e.object_type, e.object_id, e.detail)
        for e in AuditEntry.objects.filter(action="integrity.alert").order_by("sequence")
    ]


def test_search_skips_a_tampered_report_and_shows_the_rest(people, staff_client, make_report):
    damaged, _code = make_report(description="Er worden bonnen vervalst bij inkoop.")
    intact, _code = make_report(description="Ook hier worden bonnen vervalst.")
    tamper(damaged, "sealed_content")
    response = staff_client(people["coordinator"]).get("/en/behandeling/", {"q": "bonnen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert intact.reference in page
    assert damaged.reference not in page
    assert "One report could not be read for the search" in page
    assert [(kind, object_id) for kind, object_id, _d in alerts()] == [("report", str(damaged.pk))]
    assert alerts()[0][2]["field"] == "content"
    searched = AuditEntry.objects.get(action="reports.searched")
    assert searched.detail["unreadable"] == 1


def _message(report: Report, text: str) -> Message:
    return post_message(report, Sender.STAFF, MessageKind.QUESTION, text, None)


def _mailbox(code: str) -> Client:
    client = Client()
    assert client.post("/postbus/", {"code": code}).status_code == 302
    return client


def test_mailbox_shows_the_other_messages_when_one_is_tampered(make_report):
    report, code = make_report(files=(("bewijs.txt", b"bewijs"),))
    damaged = _message(report, "Eerste vraag van de coordinator.")
    _message(report, "Tweede vraag van de coordinator.")
    tamper(damaged, "sealed_body")
    tamper(Attachment.objects.get(report=report), "sealed_name")
    response = _mailbox(code).get("/en/postbus/berichten/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tweede vraag van de coordinator." in page
    assert "Eerste vraag" not in page
    assert page.count(NOTE) == 2  # the message body and the file name
    flagged = {(kind, object_id) for kind, object_id, _detail in alerts()}
    attachment = Attachment.objects.get(report=report)
    assert flagged == {("message", str(damaged.pk)), ("attachment", str(attachment.pk))}


def test_case_page_shows_the_rest_when_a_message_and_a_case_record_are_tampered(
    people, staff_client
):
    flow = Flow(people, description="Er worden bonnen vervalst bij inkoop.")
    flow.acknowledge("Wij hebben uw melding ontvangen.")
    flow.start_assessment()
    flow.record_assessment()
    damaged = _message(flow.report, "Een vraag die niet meer te lezen is.")
    tamper(damaged, "sealed_body")
    assessment = Assessment.objects.get(report_id=flow.pk)
    tamper(assessment, "sealed_notes")
    with pytest.raises(Exception, match="authentication"):
        services.open_on(Assessment.objects.get(pk=assessment.pk), "sealed_notes")

    client = staff_client(people["coordinator"])
    # The report and the assessment are in the overview, the message in the mailbox section.
    responses = [
        client.get(f"/en/behandeling/{flow.pk}/?section={section}")
        for section in ("overview", "mailbox")
    ]
    assert all(response.status_code == 200 for response in responses)
    page = "".join(response.content.decode() for response in responses)
    assert "Er worden bonnen vervalst bij inkoop." in page
    assert "Wij hebben uw melding ontvangen." in page
    assert "Binnen de reikwijdte." not in page
    assert page.count(NOTE) >= 2
    flagged = {(kind, object_id) for kind, object_id, _detail in alerts()}
    assert ("message", str(damaged.pk)) in flagged
    assert ("assessment", str(assessment.pk)) in flagged


def test_case_page_shows_a_subject_whose_description_is_tampered(people, staff_client):
    flow = Flow(people).to(Phase.INVESTIGATION)
    subject = services.record_subject(
        flow.coordinator, flow.report, description="De teamleider van inkoop."
    )
    tamper(subject, "sealed_description")
    response = staff_client(people["coordinator"]).get(f"/en/behandeling/{flow.pk}/")
    assert response.status_code == 200
    assert NOTE in response.content.decode()
    assert ("subject", str(subject.pk)) in {(kind, oid) for kind, oid, _d in alerts()}


def test_case_page_shows_a_note_for_tampered_contents(people, staff_client, make_report):
    report, _code = make_report(name="Sara Melder", email="sara@example.org")
    tamper(report, "sealed_content")
    tamper(report.identity, "sealed")
    # The contents in the overview, the identity in the summary above every section.
    response = staff_client(people["coordinator"]).get(
        f"/en/behandeling/{report.pk}/?section=overview"
    )
    assert response.status_code == 200
    assert response.content.decode().count(NOTE) >= 2
    assert {kind for kind, _id, _detail in alerts()} == {"report"}
    # One alert per damaged record: the page reads the contents and the identity once each.
    assert sorted(detail["record"] for _k, _i, detail in alerts()) == ["identity", "report"]


def _records_flagged_by(request) -> tuple[Any, list[str]]:
    """The response of `request()` and the records flagged (integrity alerts) while it ran."""
    before = AuditEntry.objects.filter(action="integrity.alert").count()
    response = request()
    flagged = list(AuditEntry.objects.filter(action="integrity.alert").order_by("sequence"))
    return response, sorted(entry.detail["record"] for entry in flagged[before:])


def _to_investigation_without_commission(people, **report_options) -> Flow:
    """A case in the phase "Investigation" whose investigation is not commissioned yet: the
    competent authority's investigation section offers to commission one."""
    flow = Flow(people, **report_options).to(Phase.FOLLOW_UP_DECISION)
    flow.decide("investigation")
    return flow


SECTIONS = ("overview", "mailbox", "people", "investigation", "decision", "history")


@pytest.mark.parametrize("phase", [Phase.RECEIVED, Phase.INVESTIGATION, Phase.DECISION])
def test_every_section_of_the_case_page_shows_with_tampered_contents(people, staff_client, phase):
    """Not only the overview: every panel is built on every section, and the assignment and
    commission forms ask who is named in the contents. Each section answers 200 and flags each
    damaged record once (before: the forms' own reads failed the page with 409)."""
    if phase == Phase.INVESTIGATION:
        flow = _to_investigation_without_commission(people, name="Sara Melder")
    else:
        flow = Flow(people, name="Sara Melder").to(phase)
    report = flow.report
    tamper(report, "sealed_content")
    tamper(report.identity, "sealed")
    # The competent authority sees the case from the follow-up decision on.
    roles = ("coordinator",) if phase == Phase.RECEIVED else ("coordinator", "authority")
    for role in roles:
        client = staff_client(people[role])
        for section in SECTIONS:
            url = f"/en/behandeling/{flow.pk}/?section={section}"
            response, flagged = _records_flagged_by(partial(client.get, url))
            assert response.status_code == 200, (role, section)
            assert len(flagged) == len(set(flagged)), (role, section, flagged)
            assert "report" in flagged


def test_the_people_section_offers_no_assignment_when_the_contents_are_tampered(
    people, staff_client, make_report
):
    """Who is named in the report (and so refused as assignee) is unknown: no person is
    offered, the section says why, and the contents are flagged once."""
    report, _code = make_report()
    tamper(report, "sealed_content")
    client = staff_client(people["coordinator"])
    response, flagged = _records_flagged_by(
        lambda: client.get(f"/en/behandeling/{report.pk}/?section=people")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="assign-blocked"' in page
    assert '<select name="assign-' not in page
    assert flagged == ["report"]


def test_assigning_on_tampered_contents_is_refused_and_assigns_nobody(
    people, staff_client, make_report
):
    """The service keeps its strict read (fails closed): a submitted assignment on a report
    whose contents cannot be read gives the clear page, is flagged and assigns nobody."""
    report, _code = make_report()
    tamper(report, "sealed_content")
    response = staff_client(people["coordinator"]).post(
        f"/en/behandeling/{report.pk}/toewijzen/process_guide/",
        {"assign-process_guide-person": people["guide"].pk},
    )
    assert response.status_code == UNREADABLE_STATUS
    assert not report.assignments.filter(user=people["guide"]).exists()
    assert [(kind, detail["record"]) for kind, _i, detail in alerts()] == [("report", "report")]


def test_the_investigation_section_offers_no_commissioning_when_the_contents_are_tampered(
    people, staff_client
):
    """The competent authority's commission form lists the investigators commissioning would
    accept, which needs who is named: with unreadable contents it is not offered, with a note."""
    flow = _to_investigation_without_commission(people)
    tamper(flow.report, "sealed_content")
    client = staff_client(people["authority"])
    response, flagged = _records_flagged_by(
        lambda: client.get(f"/en/behandeling/{flow.pk}/?section=investigation")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="commission-blocked"' in page
    assert 'name="commission-investigators"' not in page
    assert flagged == ["report"]


def test_commissioning_on_tampered_contents_is_refused_and_commissions_nothing(
    people, staff_client
):
    flow = _to_investigation_without_commission(people)
    tamper(flow.report, "sealed_content")
    response = staff_client(people["authority"]).post(
        f"/en/behandeling/{flow.pk}/onderzoek-opdracht/",
        {
            "commission-investigators": [people["investigator"].pk],
            "commission-deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "commission-note": "Opdracht.",
        },
    )
    assert response.status_code == UNREADABLE_STATUS
    assert not Investigation.objects.filter(report_id=flow.pk).exists()
    assert [(kind, detail["record"]) for kind, _i, detail in alerts()] == [("report", "report")]


def test_the_commission_form_is_offered_when_the_contents_are_intact(people, staff_client):
    flow = _to_investigation_without_commission(people)
    page = staff_client(people["authority"]).get(
        f"/en/behandeling/{flow.pk}/?section=investigation"
    )
    assert 'name="commission-investigators"' in page.content.decode()
    assert 'id="commission-blocked"' not in page.content.decode()


def test_the_reporters_mailbox_shows_with_tampered_contents(make_report):
    report, code = make_report(name="Sara Melder")
    _message(report, "Een vraag van de coordinator.")
    tamper(report, "sealed_content")
    tamper(report.identity, "sealed")
    client = _mailbox(code)
    response, flagged = _records_flagged_by(lambda: client.get("/en/postbus/berichten/"))
    assert response.status_code == 200
    assert "Een vraag van de coordinator." in response.content.decode()
    assert flagged == ["report"]


def test_the_case_page_decrypts_the_contents_once(people, staff_client, make_report, monkeypatch):
    """The report panel, the four assignment forms and the summary share one read of the
    contents and one of the identity per page (PanelInput.read), not one per form."""
    from integriteit.crypto.envelope import Sealer

    report, _code = make_report(name="Sara Melder")
    opened: list[str] = []
    open_text = Sealer.open_text

    def counting(self, record, field, blob):
        opened.append(record)
        return open_text(self, record, field, blob)

    monkeypatch.setattr(Sealer, "open_text", counting)
    response = staff_client(people["coordinator"]).get(
        f"/en/behandeling/{report.pk}/?section=people"
    )
    assert response.status_code == 200
    assert '<select name="assign-handler-person"' in response.content.decode()
    assert opened.count("report") == 1
    assert opened.count("identity") == 1


def test_download_of_a_tampered_attachment_gives_a_clear_page(people, staff_client, make_report):
    report, code = make_report(files=(("bewijs.txt", b"bewijs"),))
    attachment = Attachment.objects.get(report=report)
    path = attachment_path(attachment)
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0x01
    path.write_bytes(bytes(blob))

    staff = staff_client(people["coordinator"]).get(
        f"/en/behandeling/{report.pk}/bijlage/{attachment.pk}/"
    )
    reporter = _mailbox(code).get(f"/en/postbus/bijlage/{attachment.pk}/")
    for response in (staff, reporter):
        assert response.status_code == UNREADABLE_STATUS
        assert "Content-Disposition" not in response
        assert "This item could not be read" in response.content.decode()
    assert [(kind, object_id) for kind, object_id, _d in alerts()] == [
        ("attachment", str(attachment.pk))
    ] * 2


def test_download_of_an_attachment_whose_file_is_gone_gives_a_clear_page(
    people, staff_client, make_report
):
    report, _code = make_report(files=(("bewijs.txt", b"bewijs"),))
    attachment = Attachment.objects.get(report=report)
    attachment_path(attachment).unlink()
    response = staff_client(people["coordinator"]).get(
        f"/en/behandeling/{report.pk}/bijlage/{attachment.pk}/"
    )
    assert response.status_code == UNREADABLE_STATUS
    assert alerts()[0][:2] == ("attachment", str(attachment.pk))


def test_a_tampered_data_key_gives_a_clear_page_not_a_500(people, staff_client, make_report):
    report, code = make_report()
    tamper(report, "wrapped_key")
    response = _mailbox(code).get("/en/postbus/berichten/")
    assert response.status_code == UNREADABLE_STATUS
    assert "This item could not be read" in response.content.decode()
    assert alerts()[0][:2] == ("report", str(report.pk))
    assert alerts()[0][2]["record"] == "dek"
