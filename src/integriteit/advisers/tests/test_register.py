"""The register of confidential advisers: the basic-requirements check, term warnings, and who
sees the register (issue 5 §1)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from integriteit.advisers.constants import AdviserKind, AdviserThemes, RequirementKind
from integriteit.advisers.models import BasicRequirement, ConfidentialAdviser, PeerReviewSession
from integriteit.advisers.register import requirement_gaps, term_warnings

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def complete(people):
    adviser = ConfidentialAdviser.objects.create(
        user=people["guide"],
        kind=AdviserKind.INTERNAL,
        themes=AdviserThemes.BOTH,
        appointed_on=datetime.date(2024, 1, 1),
        appointing_authority="SG",
        appointment_document="DOC-1",
        term_ends_on=datetime.date(2028, 1, 1),
        hours_per_week=Decimal("8"),
        basic_training_on=datetime.date(2024, 2, 1),
        email="guide@example.org",
    )
    PeerReviewSession.objects.create(adviser=adviser, held_on=datetime.date(2026, 3, 1))
    return adviser


def gaps(adviser):
    with translation.override("en"):
        return requirement_gaps(adviser, TODAY)


def test_complete_adviser_meets_every_requirement(complete):
    assert gaps(complete) == []
    assert term_warnings(complete, TODAY) == []


def test_formal_appointment_names_what_is_missing(complete):
    complete.appointing_authority = ""
    complete.appointment_document = ""
    [gap] = gaps(complete)
    assert "appointing authority" in gap and "appointment decision" in gap
    assert "date of appointment" not in gap


def test_term_lapsed_or_missing(complete):
    complete.term_ends_on = datetime.date(2026, 5, 31)
    assert gaps(complete) == ["The appointment term lapsed on 31 May 2026."]
    complete.term_ends_on = None
    assert gaps(complete) == ["No end of the appointment term recorded."]


def test_basic_training(complete):
    complete.basic_training_on = None
    assert gaps(complete) == ["Basic training not completed."]


def test_peer_review_within_twelve_months(complete):
    complete.peer_reviews.all().delete()
    PeerReviewSession.objects.create(adviser=complete, held_on=datetime.date(2025, 5, 1))
    assert gaps(complete) == ["No peer review (intervisie) attended in the last 12 months."]
    complete.peer_reviews.all().delete()
    assert len(gaps(complete)) == 1


def test_hours_and_contact(complete):
    complete.hours_per_week = None
    complete.email = ""
    assert gaps(complete) == [
        "No hours per week granted.",
        "No contact channel (phone, e-mail or other).",
    ]
    complete.other_contact = "Via the front desk"
    assert gaps(complete) == ["No hours per week granted."]


def test_only_active_requirements_are_checked(complete):
    complete.hours_per_week = None
    BasicRequirement.objects.filter(kind=RequirementKind.HOURS).update(is_active=False)
    assert gaps(complete) == []


def test_gaps_in_dutch(complete):
    complete.basic_training_on = None
    with translation.override("nl"):
        [gap] = requirement_gaps(complete, TODAY)
    assert gap  # translated where the catalogue has it; never empty


def test_term_warning_within_90_days_and_renewal(complete):
    complete.term_ends_on = TODAY + datetime.timedelta(days=91)
    assert term_warnings(complete, TODAY) == []
    complete.term_ends_on = TODAY + datetime.timedelta(days=30)
    with translation.override("en"):
        warnings = term_warnings(complete, TODAY)
    assert "in 30 days" in warnings[0]
    assert "can be renewed once" in warnings[1]
    complete.renewals = 1
    with translation.override("en"):
        warnings = term_warnings(complete, TODAY)
    assert "cannot be renewed again" in warnings[1]


def test_lapsed_term_is_a_gap_not_a_warning(complete):
    complete.term_ends_on = TODAY - datetime.timedelta(days=1)
    assert term_warnings(complete, TODAY) == []


def test_demo_advisers(people):
    today = datetime.date.today()
    internal = ConfidentialAdviser.objects.get(user__username="adviser")
    external = ConfidentialAdviser.objects.get(user__username="adviser-ext")
    with translation.override("en"):
        assert requirement_gaps(internal, today) == []
        assert requirement_gaps(external, today) == [
            "No peer review (intervisie) attended in the last 12 months."
        ]
        assert term_warnings(external, today)


def test_coordinator_sees_register_of_own_organisation(people, staff_client):
    response = staff_client(people["coordinator"]).get("/en/vertrouwenspersonen/register/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vera Vertrouwenspersoon" in body and "Xander Extern" in body
    assert "Meets all basic requirements" in body
    assert "No peer review (intervisie) attended in the last 12 months." in body
    assert "cannot be renewed again" in body


def test_coordinator_of_other_organisation(people, staff_client):
    client = staff_client(people["coordinator-fin"])
    body = client.get("/en/vertrouwenspersonen/register/").content.decode()
    assert "Xander Extern" in body  # serves Financiën too
    assert "Vera Vertrouwenspersoon" not in body
    assert client.get("/en/vertrouwenspersonen/register/?organisatie=bzk").status_code == 404


def test_government_wide_coordinator_chooses_any_organisation(people, staff_client):
    client = staff_client(people["bzk-coordinator"])
    body = client.get("/en/vertrouwenspersonen/register/?organisatie=fin").content.decode()
    assert "Xander Extern" in body and "Vera Vertrouwenspersoon" not in body


@pytest.mark.parametrize("username", ["employee", "adviser", "manager", "auditor", "admin"])
def test_others_do_not_see_the_register(people, staff_client, username):
    response = staff_client(people[username]).get("/en/vertrouwenspersonen/register/")
    assert response.status_code == 404


def test_register_needs_login(client, people):
    response = client.get("/vertrouwenspersonen/register/")
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
