"""The auditors' trail: newest first, entries not chained yet on top, and the chain check with
the unchained count and the anchor (ADR 0006). In English (/en/), so that the Dutch translations
of these strings do not matter here."""

import io

import pytest
from django.core.management import call_command

from integriteit.audit.services import SYSTEM, chain_pending, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(people, staff_client):
    return staff_client(people["auditor"])


def _rows(html: str) -> list[str]:
    body = html.split('<tbody class="utrecht-table__body">', 1)[1].split("</tbody>", 1)[0]
    return body.split('<tr class="utrecht-table__row">')[1:]


def test_unchained_entries_are_shown_first(auditor_client):
    record(SYSTEM, "test.first", "thing", 1)
    record(SYSTEM, "test.second", "thing", 2)
    chain_pending()
    record(SYSTEM, "test.pending", "thing", 3)
    response = auditor_client.get("/en/audit/")
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert ["test.pending" in rows[0], "test.second" in rows[1], "test.first" in rows[2]] == [
        True
    ] * 3
    assert "Not chained yet" in rows[0]
    assert ">2</td>" in rows[1]


def test_verification_reports_unchained_entries_and_the_anchor(auditor_client):
    record(SYSTEM, "test.first", "thing", 1)
    page = auditor_client.get("/en/audit/?verify=1").content.decode()
    assert "1 entry is not chained yet" in page
    assert "There is no anchor" in page
    call_command("anchor_audit_chain", stdout=io.StringIO())
    page = auditor_client.get("/en/audit/?verify=1").content.decode()
    assert "The chain is intact (1 entries)." in page
    assert "It matches the anchor of entry #1" in page


def test_only_auditors_see_the_trail(people, staff_client):
    assert staff_client(people["coordinator"]).get("/audit/").status_code == 404
