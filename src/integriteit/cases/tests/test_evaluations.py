"""Evaluation answers are shown only aggregated, per organisation, with small groups suppressed."""

import pytest
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.cases.models import Evaluation
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _answered(make_report, count, organisation="bzk", **answers):
    for _ in range(count):
        report, _code = make_report(organisation)
        Evaluation.objects.create(
            report=report,
            invited_at=timezone.now(),
            answered_at=timezone.now(),
            felt_safe=answers.get("felt_safe", 4),
            kept_informed=answers.get("kept_informed", 2),
            taken_seriously=answers.get("taken_seriously", 5),
            would_report_again=answers.get("again", True),
        )


def test_small_groups_are_suppressed(people, staff_client, make_report, settings):
    settings.EVALUATION_MIN_GROUP = 5
    _answered(make_report, 4)
    page = staff_client(people["coordinator"]).get("/en/behandeling/evaluaties/")
    body = page.content.decode()
    assert page.status_code == 200 and "Too few answers to show" in body
    assert "4.0" not in body


def test_averages_per_organisation(people, staff_client, make_report, settings):
    settings.EVALUATION_MIN_GROUP = 5
    _answered(make_report, 4, felt_safe=4)
    _answered(make_report, 1, felt_safe=2, again=False)
    body = staff_client(people["coordinator"]).get("/en/behandeling/evaluaties/").content.decode()
    assert "3.6" in body  # (4*4 + 2) / 5
    assert "80%" in body
    # Another organisation's coordinator sees only their own organisation.
    fin = staff_client(people["coordinator-fin"]).get("/en/behandeling/evaluaties/")
    assert "Binnenlandse Zaken" not in fin.content.decode()


def test_government_wide_coordinator_sees_every_organisation(people, staff_client):
    body = (
        staff_client(people["bzk-coordinator"]).get("/en/behandeling/evaluaties/").content.decode()
    )
    for organisation in Organisation.objects.filter(outside_bzk_coordination=False):
        assert organisation.name in body


@pytest.mark.parametrize("username", ["employee", "manager", "auditor", "admin", "guide"])
def test_others_get_nothing(people, staff_client, username):
    assert RoleAssignment.objects.filter(user=people[username], role=Role.COORDINATOR).count() == 0
    assert staff_client(people[username]).get("/behandeling/evaluaties/").status_code == 404
