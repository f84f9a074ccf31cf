"""Granting a role in the admin enters the audit chain (roles decide who reads reports), once,
with the roles the user holds afterwards (issue 8 item 5; ADR 0006)."""

import pytest

from integriteit.accounts.models import RoleAssignment
from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_role_granted_in_admin_is_audited(people, staff_client):
    admin_client = staff_client(people["admin"])
    target = people["employee"]
    bzk = Organisation.objects.get(slug="bzk")
    url = f"/beheer/accounts/user/{target.pk}/change/"
    assert admin_client.get(url).status_code == 200
    data = {
        "username": target.username,
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": target.email,
        "is_active": "on",
        "date_joined_0": target.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": target.date_joined.strftime("%H:%M:%S"),
        "unit": target.unit_id,
        "job_title": "",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "1",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-id": RoleAssignment.objects.get(user=target).pk,
        "roles-0-user": target.pk,
        "roles-0-organisation": bzk.pk,
        "roles-0-role": "employee",
        "roles-1-user": target.pk,
        "roles-1-organisation": bzk.pk,
        "roles-1-role": "coordinator",
    }
    before = AuditEntry.objects.count()
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RoleAssignment.objects.filter(user=target, role="coordinator").exists()
    assert AuditEntry.objects.count() == before + 1  # one entry for one admin change
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor_label == "admin" and entry.actor_id == people["admin"].pk
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(target.pk))
    assert entry.detail["rows"] == [{"added": "role assignment", "fields": []}]
    assert {"role": "coordinator", "organisation": bzk.pk, "unit": None} in entry.detail["roles"]
    # The admin's description of the row names the user; the audit entry does not.
    assert target.last_name not in str(entry.detail)
    assert verify_chain().intact
