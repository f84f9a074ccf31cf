"""A page reads the user's role rows once, however many rules it asks; the next request sees a
changed role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integriteit.access.rules import intact_roles, roles_read_once
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment

pytestmark = pytest.mark.django_db


def _role_reads(queries) -> int:
    table = RoleAssignment._meta.db_table
    return sum(1 for query in queries if f'FROM "{table}"' in query["sql"])


def test_a_staff_page_reads_the_role_rows_once(people, staff_client):
    client = staff_client(people["coordinator"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/behandeling/").status_code == 200
    assert _role_reads(queries.captured_queries) == 1


def test_outside_a_request_every_call_reads_and_a_new_request_sees_the_change(people):
    coordinator = people["coordinator"]
    with roles_read_once():
        before = intact_roles(coordinator)
        RoleAssignment.objects.filter(user=coordinator, role=Role.COORDINATOR).delete()
        assert intact_roles(coordinator) == before  # one request: one reading
    assert all(role != Role.COORDINATOR for _organisation, role in intact_roles(coordinator))


def test_the_roles_asked_for_are_filtered_from_the_one_reading(people):
    coordinator = people["coordinator"]
    with roles_read_once():
        every = intact_roles(coordinator)
        assert intact_roles(coordinator, [Role.COORDINATOR]) == [
            row for row in every if row[1] == Role.COORDINATOR
        ]
        assert intact_roles(coordinator, []) == []
