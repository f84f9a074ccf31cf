"""A tampered ciphertext is skipped and flagged, never a server error (issue 8 item 10): the page
shows the rest with a plain note, and `integrity.alert` is in the audit trail. Where a page
cannot be shown without the damaged record (a download), a clear page instead of a 500.

Pages are requested under /en/ so the note is matched in English (the site defaults to Dutch)."""

import pytest
from django.test import Client

from integriteit.audit.models import AuditEntry
from integriteit.cases import services
from integriteit.cases.models import Assessment
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


@pytest.mark.xfail(
    strict=True,
    reason="Known regression after the issue 10 merges: with tampered contents the case page "
    "answers the unreadable page (409, safe, nothing shown) instead of the page with a note; "
    "recorded on issue 10, to fix first.",
)
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
    assert {detail["record"] for _k, _i, detail in alerts()} == {"report", "identity"}


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
