"""The investigator's landing: the investigations she carries out (issue 10 "Landing per role"),
only hers: not another investigator's, not one of another organisation, nothing after her
membership ends; an empty state when she has none."""

import datetime

import pytest
from django.utils import timezone, translation

from integriteit.accounts.constants import Role
from integriteit.cases import services as case_services
from integriteit.cases.constants import CaseRole
from integriteit.investigations import selectors
from integriteit.investigations.models import Investigation, InvestigationMember
from integriteit.reports.constants import Phase
from integriteit.testing import make_report
from integriteit.ui.landing import landing_for

from .helpers import Investigating

pytestmark = pytest.mark.django_db

MINE = "/onderzoek/"


def verified(user):
    user.is_verified = lambda: True
    return user


def _row(page: str, investigation: Investigation) -> bool:
    return f'data-investigation="{investigation.pk}"' in page


def test_the_investigator_lands_on_her_investigations(people):
    assert landing_for(verified(people["investigator"])) == MINE


def test_she_sees_her_investigation_with_its_open_step_and_link(people, staff_client):
    case = Investigating(people)
    client = staff_client(people["investigator"])
    response = client.get(MINE)
    assert response.status_code == 200
    page = response.content.decode()
    investigation = case.investigation
    assert _row(page, investigation)
    assert investigation.report.reference in page
    assert f'href="/onderzoek/{investigation.pk}/"' in page
    current = selectors.current_record(investigation)
    assert current is not None
    with translation.override("nl"):
        open_step = translation.gettext(current.step.name)
        phase = str(Phase(investigation.report.phase).label)
    assert open_step in page and phase in page
    assert "int-deadline" in page
    # Reachable from the header.
    assert f'href="{MINE}"' in page


def test_another_investigators_investigation_is_not_shown(people, staff_client, make_staff):
    case = Investigating(people)
    other = make_staff(Role.INVESTIGATOR, username="tweede-onderzoeker")
    case_services.assign(case.flow.coordinator, case.flow.report, other, CaseRole.INVESTIGATOR)
    InvestigationMember.objects.filter(investigation_id=case.pk).update(user=other)
    page = staff_client(people["investigator"]).get(MINE).content.decode()
    assert not _row(page, case.investigation)
    assert "data-empty" in page
    assert _row(staff_client(other).get(MINE).content.decode(), case.investigation)


def test_an_investigation_of_another_organisation_is_not_shown(people, staff_client):
    """A membership on a case she may not see (another organisation, no role on the case: a
    tampered or stale row) shows nothing of that case."""
    report, _code = make_report("fin")
    foreign = Investigation.objects.create(
        report=report,
        protocol=selectors.baseline(),
        sealed_assignment=b"",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    InvestigationMember.objects.create(investigation=foreign, user=people["investigator"])
    page = staff_client(people["investigator"]).get(MINE).content.decode()
    assert not _row(page, foreign) and report.reference not in page
    assert "data-empty" in page


def test_an_ended_membership_is_not_shown(people, staff_client):
    case = Investigating(people)
    InvestigationMember.objects.filter(investigation_id=case.pk).update(ended_at=timezone.now())
    page = staff_client(people["investigator"]).get(MINE).content.decode()
    assert not _row(page, case.investigation)


def test_the_empty_state(people, staff_client):
    page = staff_client(people["investigator"]).get(MINE).content.decode()
    assert "data-empty" in page
    with translation.override("nl"):
        assert (
            translation.gettext("Investigations I carry out") in page
            or "Investigations I carry out" in page
        )


@pytest.mark.parametrize("username", ["employee", "coordinator", "manager"])
def test_who_carries_out_no_investigation_does_not_have_the_page(people, staff_client, username):
    assert staff_client(people[username]).get(MINE).status_code == 404
