"""The reporting channel end to end through the Django test client."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from integriteit.audit.models import AuditEntry
from integriteit.reports.models import Report
from integriteit.testing import shown_code

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_notifications")]


def _post_report(client, people, **extra):
    data = {
        "kind": "integrity_violation",
        "violation_types": ["financial"],
        "description": "De leidinggevende laat facturen dubbel betalen.",
        "raised_before": "no",
        "relation": "employee",
        "anonymous": "1",
        **extra,
    }
    return client.post("/melden/bzk/", data)


def test_anonymous_report_mailbox_and_acknowledgement(client, people, staff_client):
    response = _post_report(client, people, involved_names=people["manager"].get_full_name())
    assert response.status_code == 302 and response["Location"] == "/melden/controleren/"
    summary = client.get("/melden/controleren/")
    assert "dubbel betalen" in summary.content.decode()
    assert client.post("/melden/versturen/").status_code == 302
    received = client.get("/melden/ontvangen/").content.decode()
    code = shown_code(received)
    # A reload shows the same code (ADR 0005) until she says she has written it down.
    assert shown_code(client.get("/melden/ontvangen/").content.decode()) == code
    assert client.post("/melden/ontvangen/")["Location"] == "/postbus/"
    after = client.get("/melden/ontvangen/", follow=True).content.decode()
    assert 'id="receipt-code"' not in after and code not in re.sub(r"<[^>]*>", "", after)

    report = Report.objects.get()
    assert report.receipt_hash and code.replace("-", "") not in report.receipt_hash

    coordinator = staff_client(people["coordinator"])
    assert report.reference in coordinator.get("/behandeling/").content.decode()
    coordinator.post(f"/behandeling/{report.pk}/ontvangst/", {"text": "Ontvangen, dank u."})
    report.refresh_from_db()
    assert report.acknowledged_at is not None and report.phase == "acknowledged"

    reporter = type(client)()
    assert reporter.post("/postbus/", {"code": code.lower()}).status_code == 302
    page = reporter.get("/postbus/berichten/").content.decode()
    assert "Ontvangen, dank u." in page
    assert not mail.outbox  # anonymous: nobody to e-mail
    assert AuditEntry.objects.filter(action="case.acknowledge").exists()


def test_named_reporter_gets_mail_without_contents(
    people, staff_client, make_report, django_capture_on_commit_callbacks
):
    report, _code = make_report(
        name="Sara Melder", email="sara@example.org", description="Geheim feit"
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client(people["coordinator"]).post(
            f"/behandeling/{report.pk}/ontvangst/", {"text": "Dank voor uw melding."}
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sara@example.org"]
    assert "Geheim feit" not in message.body and "Dank voor uw melding" not in message.body
    assert report.reference in message.subject


def test_oral_report_minutes_are_approved_by_the_reporter(people, staff_client):
    coordinator = staff_client(people["coordinator"])
    response = coordinator.post(
        "/behandeling/registreren/",
        {
            "channel": "coordinator",
            "form": "oral",
            "received_on": "2026-11-20",
            "minutes": "Melder vertelde per telefoon over vervalste declaraties.",
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": "Vervalste declaraties",
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = coordinator.get("/behandeling/geregistreerd/").content.decode()
    code = shown_code(page)
    report = Report.objects.get()
    assert report.channel == "coordinator" and report.form == "oral"
    assert report.received_at is not None
    assert report.received_at.date().isoformat() == "2026-11-20"

    reporter = type(coordinator)()
    reporter.post("/postbus/", {"code": code})
    assert "vervalste declaraties" in reporter.get("/postbus/berichten/").content.decode()
    reporter.post("/postbus/verslag-akkoord/")
    report.refresh_from_db()
    assert report.minutes_approved_at is not None
    assert AuditEntry.objects.filter(action="minutes.approved").count() == 1
    # Approving twice is refused and changes nothing.
    reporter.post("/postbus/verslag-akkoord/")
    assert AuditEntry.objects.filter(action="minutes.approved").count() == 1


def test_free_text_search_finds_and_is_audited(people, staff_client, make_report):
    wanted, _ = make_report(description="Er verdwijnen laptops uit het magazijn.")
    other, _ = make_report(description="Iets heel anders.")
    page = staff_client(people["coordinator"]).get("/behandeling/", {"q": "laptops"})
    body = page.content.decode()
    assert wanted.reference in body and other.reference not in body
    entry = AuditEntry.objects.get(action="reports.searched")
    assert entry.actor_label == "coordinator" and entry.detail["matches"] == 1
    assert "laptops" not in str(entry.detail)


def test_queue_lists_unacknowledged_reports_first(people, staff_client, make_report):
    coordinator = staff_client(people["coordinator"])
    acknowledged, _ = make_report(description="Eerste")
    coordinator.post(f"/behandeling/{acknowledged.pk}/ontvangst/", {"text": "Ontvangen"})
    waiting, _ = make_report(description="Tweede")
    body = coordinator.get("/behandeling/").content.decode()
    assert body.index(waiting.reference) < body.index(acknowledged.reference)


def test_report_registered_early_in_the_morning_for_today_is_accepted(
    people, staff_client, monkeypatch
):
    """A report received today and registered before 09:00 is not "in the future"."""
    early = datetime.datetime(2026, 3, 2, 6, 30, tzinfo=datetime.UTC)  # 07:30 in Amsterdam
    monkeypatch.setattr(timezone, "now", lambda: early)
    response = staff_client(people["coordinator"]).post(
        "/behandeling/registreren/",
        {
            "channel": "coordinator",
            "form": "written",
            "received_on": "2026-03-02",
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": "Vervalste declaraties",
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Report.objects.get().received_at == early
