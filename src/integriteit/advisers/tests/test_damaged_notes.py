"""An adviser's notes that fail their integrity check: the entry still opens for editing, with a
note instead of the text, and `integrity.alert` is in the audit trail (issue 8 item 10)."""

import pytest

from integriteit.advisers import log as services
from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.test_damaged_records import NOTE, tamper

from .test_log import adviser_record, as_verified, log_input

pytestmark = pytest.mark.django_db


def test_edit_page_of_an_entry_with_tampered_notes(people, staff_client):
    adviser = as_verified(people["adviser"])
    adviser_record(adviser)
    entry = services.record_conversation(adviser, log_input(notes="Gesprek over werkdruk."))
    tamper(entry, "sealed_notes")
    response = staff_client(people["adviser"]).get(f"/en/vertrouwenspersonen/logboek/{entry.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTE in page and "Gesprek over werkdruk." not in page
    alert = AuditEntry.objects.get(action="integrity.alert")
    assert (alert.object_type, alert.object_id) == ("adviserlog", str(entry.pk))
