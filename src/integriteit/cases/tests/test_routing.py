"""A report that names every coordinator of the organisation still reaches someone who may
handle it: the government-wide coordinator (seed 000 points 1–2)."""

import pytest

from integriteit.access.rules import reports_visible_to
from integriteit.audit.models import AuditEntry
from integriteit.cases.constants import CaseRole
from integriteit.organisations.models import Organisation
from integriteit.testing import verified_client

from .flow import verified

pytestmark = pytest.mark.django_db


def test_report_naming_the_only_coordinator_goes_to_the_government_wide_coordinator(
    people, make_report
):
    report, _code = make_report(involved=(people["coordinator"],))
    bzk = verified(people["bzk-coordinator"])
    assert reports_visible_to(bzk).filter(pk=report.pk).exists()
    assert report.assignments.filter(user=bzk, role=CaseRole.HANDLER).exists()
    assert not reports_visible_to(verified(people["coordinator"])).filter(pk=report.pk).exists()
    assert AuditEntry.objects.filter(action="report.routed_around_coordinators").count() == 1
    # The government-wide coordinator can handle it: acknowledge through the case page.
    client = verified_client(people["bzk-coordinator"])
    response = client.post(f"/behandeling/{report.pk}/ontvangst/", {"text": "Ontvangen."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_at is not None


def test_ordinary_reports_stay_with_the_organisation(people, make_report):
    report, _code = make_report()
    assert not report.assignments.exists()
    assert not reports_visible_to(verified(people["bzk-coordinator"])).filter(pk=report.pk)
    assert not AuditEntry.objects.filter(action="report.routed_around_coordinators").exists()


def test_organisations_outside_bzk_coordination_get_no_fallback(people, make_report):
    Organisation.objects.filter(slug="bzk").update(outside_bzk_coordination=True)
    report, _code = make_report(involved=(people["coordinator"],))
    assert not report.assignments.exists()
    assert AuditEntry.objects.filter(action="report.routed_around_coordinators").exists()
