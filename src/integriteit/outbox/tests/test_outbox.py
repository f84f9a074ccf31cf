"""Mail is queued in the sender's transaction, sealed, and delivered after the commit with
retries; a failing mail server never turns into a server error (issue 9 defect 6, ADR 0017)."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from integriteit.crypto.holders import kek_versions_in_use, key_holders
from integriteit.crypto.keys import keyring, write_key_file
from integriteit.outbox import services
from integriteit.outbox.models import OutboxMessage

from .backends import LOCMEM, REFUSING

# These tests count this module's own mail; staff notifications are tested in notifications.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_notifications")]

ADDRESS = "sara@example.org"


def _send(subject: str = "News about your report MP-2026-0001") -> None:
    send_mail(subject, "There is news in your mailbox.", None, [ADDRESS])


def test_a_message_is_queued_sealed_and_leaves_after_the_commit(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _send()
        row = OutboxMessage.objects.get()
        assert not mail.outbox  # nothing leaves before the commit
        assert ADDRESS.encode() not in bytes(row.sealed_message)
        assert b"mailbox" not in bytes(row.sealed_message)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert mail.outbox[0].subject == "News about your report MP-2026-0001"
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    # Delivered: nothing of the message is kept, and no KEK is needed for it any more.
    assert bytes(row.sealed_message) == b"" and bytes(row.wrapped_key) == b""
    assert row.kek_version == ""


def test_a_rolled_back_transaction_sends_nothing(outbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _send()
        raise RuntimeError("the caller's write failed")
    assert not mail.outbox and not OutboxMessage.objects.exists()


def test_a_refused_message_waits_and_the_next_run_sends_it(
    outbox, django_capture_on_commit_callbacks, monkeypatch
):
    outbox.EMAIL_DELIVERY_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        _send()  # no exception reaches the caller
    row = OutboxMessage.objects.get()
    assert row.sent_at is None and row.attempts == 1
    # The kind of failure and the reply code, not the reply's text (it names the address).
    assert row.last_error == "SMTPDataError 451"
    assert services.waiting_count() == 1

    # Too early for the next try: the pause after the first failure has not passed.
    assert services.deliver(now=timezone.now()) == (0, 0)
    later = timezone.now() + services.pause_after(1)
    assert services.deliver(now=later) == (0, 1)  # still refused: the pause doubles
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == later + services.pause_after(2)

    outbox.EMAIL_DELIVERY_BACKEND = LOCMEM
    out = io.StringIO()
    monkeypatch.setattr(timezone, "now", lambda: later + services.LONGEST_PAUSE)
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "Sent 1, failed 0, waiting 0."
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 3 and row.last_error == ""


def test_a_sent_message_is_never_sent_again(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    call_command("send_outbox", stdout=io.StringIO())
    assert services.deliver(now=timezone.now() + datetime.timedelta(days=1)) == (0, 0)
    assert len(mail.outbox) == 1


def test_a_claimed_message_is_left_to_the_delivery_that_claimed_it(outbox):
    """The commit hook and the command at once: the message goes once."""
    with transaction.atomic():
        row = services.queue(mail.EmailMessage("Subject", "Body", None, [ADDRESS]))
    now = timezone.now()
    assert services._claim(row.pk, now)
    assert services.deliver(now=now) == (0, 0)
    assert services.deliver(now=now + services.CLAIM) == (1, 0)  # the claim ran out
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (8, 128), (9, 256), (10, 360), (50, 360)]
)
def test_pause_doubles_up_to_six_hours(attempts, minutes):
    assert services.pause_after(attempts) == datetime.timedelta(minutes=minutes)


def test_a_waiting_message_survives_a_kek_rotation(outbox, key_file):
    """Rotate, re-wrap, retire the old KEK: a message still waiting is delivered after all."""
    with transaction.atomic():  # queued only: nothing is delivered before the rotation
        row = services.queue(mail.EmailMessage("Subject", "Body", None, [ADDRESS]))
    old_version = row.kek_version
    assert "outbox.OutboxMessage" in {holder.label for holder in key_holders()}
    call_command("generate_keys", rotate=True, stdout=io.StringIO())
    keyring.cache_clear()
    out = io.StringIO()
    call_command("rewrap_keys", stdout=out)
    assert "outbox.OutboxMessage: 1 re-wrapped" in out.getvalue()
    assert old_version not in kek_versions_in_use()
    document = json.loads(key_file.read_text())
    document["keks"] = {document["current_kek"]: document["keks"][document["current_kek"]]}
    write_key_file(key_file, json.dumps(document))
    keyring.cache_clear()

    assert services.deliver() == (1, 0)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_a_failing_mail_server_is_not_a_server_error(
    outbox, people, staff_client, make_report, django_capture_on_commit_callbacks
):
    """Before the outbox, the acknowledgement was saved and then the SMTP error came out of the
    commit hook as a server error; the reporter's e-mail was lost."""
    outbox.EMAIL_DELIVERY_BACKEND = REFUSING
    report, _code = make_report(name="Sara Melder", email=ADDRESS, description="Geheim feit")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client(people["coordinator"]).post(
            f"/behandeling/{report.pk}/ontvangst/", {"text": "Dank voor uw melding."}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_at is not None
    assert OutboxMessage.objects.get().attempts == 1 and not mail.outbox

    outbox.EMAIL_DELIVERY_BACKEND = LOCMEM
    services.deliver(now=timezone.now() + services.LONGEST_PAUSE)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert "Geheim feit" not in mail.outbox[0].body
