"""The demo shows the prevention module working: the coordinator's position with what falls
short, and an adopted, evaluated policy with the figures beside its goals and an overdue action."""

import pytest
from django.urls import reverse

from integriteit.cases.tests.test_demo import load_demo
from integriteit.prevention.models import CoordinatorPosition, IntegrityPolicy
from integriteit.testing import ensure_reference_data, load_people

pytestmark = pytest.mark.django_db


def test_the_demo_shows_position_and_policy(staff_client):
    ensure_reference_data()
    load_demo()
    load_demo()  # twice: nothing twice
    assert CoordinatorPosition.objects.count() == 2
    assert IntegrityPolicy.objects.count() == 1
    client = staff_client(load_people()["coordinator"])
    position = client.get(reverse("prevention:position"))
    assert position.context["assessment"].gaps  # BZK's coordinator falls short (seed 001)
    listing = client.get(reverse("prevention:policy_list"))
    cycle = listing.context["cycle"]
    assert cycle.in_force is not None and len(cycle.overdue_actions) == 1
    assert cycle.latest_analysis is not None  # the demo's risk analysis
    detail = client.get(reverse("prevention:policy_detail", kwargs={"pk": cycle.in_force.pk}))
    goals = detail.context["goals"]
    assert all(row.figure for row in goals if row.goal.system_figure)
    assert any(row.goal.risks.exists() for row in goals)  # linked to the demo risk analysis
