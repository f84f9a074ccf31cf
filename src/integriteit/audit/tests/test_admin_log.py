"""Every change made through the Django admin enters the audit chain: who, which object, which
fields, never values (issue 8 item 5; ADR 0006)."""

import pytest
from django.contrib.admin.models import LogEntry

from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.organisations.models import Organisation, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(people, staff_client):
    return staff_client(people["admin"])


def _admin_entries():
    return AuditEntry.objects.filter(action__startswith="admin.").order_by("pk")


def test_add_change_and_delete_in_the_admin_are_audited(people, admin_client):
    bzk = Organisation.objects.get(slug="bzk")
    response = admin_client.post(
        "/beheer/organisations/unit/add/", {"organisation": bzk.pk, "name": "Geheime Afdeling"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(name="Geheime Afdeling")
    response = admin_client.post(
        f"/beheer/organisations/unit/{unit.pk}/change/",
        {"organisation": bzk.pk, "name": "Andere Afdeling"},
    )
    assert response.status_code == 302
    response = admin_client.post(f"/beheer/organisations/unit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()

    entries = list(_admin_entries())
    assert [e.action for e in entries] == ["admin.added", "admin.changed", "admin.deleted"]
    assert {(e.object_type, e.object_id) for e in entries} == {("organisations.unit", str(unit.pk))}
    assert {e.actor_id for e in entries} == {people["admin"].pk}
    assert entries[1].detail == {"fields": ["Name"]}
    # Which fields, never their values.
    assert "Afdeling" not in str([e.detail for e in entries])
    assert LogEntry.objects.count() == len(entries)  # one audit entry per admin log entry
    assert verify_chain().intact


def test_bulk_delete_action_is_not_offered(admin_client):
    """Django logs a bulk delete without a signal; deleting goes one object at a time."""
    response = admin_client.get("/beheer/organisations/unit/")
    assert response.status_code == 200
    assert b"delete_selected" not in response.content
    bzk = Organisation.objects.get(slug="bzk")
    ids = [str(pk) for pk in Unit.objects.filter(organisation=bzk).values_list("pk", flat=True)]
    assert ids
    response = admin_client.post(
        "/beheer/organisations/unit/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert Unit.objects.filter(organisation=bzk).count() == len(ids)
