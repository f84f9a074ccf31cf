"""The integrity coordinator's position (issue 12, seed 001 §3.4): recorded with its history by
the coordinator, judged against the norm's two points, read by the organisation's top and BZK,
nobody else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.prevention.models import CoordinatorPosition, Placement
from integriteit.prevention.position import assess

pytestmark = pytest.mark.django_db

PAGE = reverse("prevention:position")
RECORD = reverse("prevention:record_position")


def typed(**changes) -> dict:
    values = {
        "valid_from": "2026-01-01",
        "hours_per_week": "24",
        "team_fte": "0",
        "placement": Placement.IN_THE_LINE,
        "tasks_laid_down": "on",
        "mandate_reference": "Taakomschrijving januari 2026",
        "note": "",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_the_coordinator_records_a_situation_and_keeps_the_earlier(people, staff_client):
    client = staff_client(people["coordinator"])
    assert "no-position" in client.get(PAGE).content.decode()  # the empty state
    response = client.post(RECORD, typed(valid_from="2025-01-01", tasks_laid_down=None))
    assert response.status_code == 302 and response.url.startswith(PAGE)
    response = client.post(RECORD, typed(hours_per_week="36", direct_access="on"))
    assert response.status_code == 302
    assert CoordinatorPosition.objects.filter(organisation__slug="bzk").count() == 2
    page = client.get(PAGE)
    assert page.context["current"].valid_from == datetime.date(2026, 1, 1)
    assert page.context["assessment"].anchored and not page.context["assessment"].independent
    assert 'id="history"' in page.content.decode()
    assert AuditEntry.objects.filter(action="prevention.coordinator_position_recorded").count() == 2


def test_the_form_starts_from_the_last_situation(people, staff_client):
    client = staff_client(people["coordinator"])
    client.post(RECORD, typed(hours_per_week="30"))
    form = client.get(RECORD).context["form"]
    assert form.initial["hours_per_week"] == 30 and "valid_from" not in form.initial


def test_the_two_points_of_the_norm():
    def position(**fields):
        values = {
            "hours_per_week": 36,
            "team_fte": 0,
            "placement": Placement.UNDER_THE_TOP,
            "direct_access": True,
            "tasks_laid_down": True,
        }
        values.update(fields)
        return CoordinatorPosition(**values)

    strong = assess(position())
    assert strong.anchored and strong.independent and not strong.gaps
    assert assess(position(hours_per_week=16, team_fte=2)).anchored  # a team makes up for time
    part_time = assess(position(hours_per_week=16))
    assert not part_time.anchored and len(part_time.gaps) == 1
    assert not assess(position(tasks_laid_down=False)).anchored
    in_the_line = assess(position(placement=Placement.IN_THE_LINE))
    assert not in_the_line.independent and in_the_line.anchored
    assert not assess(position(direct_access=False)).independent


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": "61"}, "hours_per_week"),
        ({"team_fte": "-1"}, "team_fte"),
        ({"placement": "somewhere"}, "placement"),
        ({"valid_from": "31-02-2026"}, "valid_from"),
        ({"valid_from": "0001-01-01"}, "valid_from"),
    ],
)
def test_bad_input_is_refused_and_kept(people, staff_client, changes, field):
    client = staff_client(people["coordinator"])
    response = client.post(RECORD, typed(note="Zes uur per week ondersteuning", **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Zes uur per week ondersteuning" in response.content.decode()  # nothing lost
    assert not CoordinatorPosition.objects.exists()


def test_a_future_date_and_a_second_situation_on_one_day_are_refused(people, staff_client):
    client = staff_client(people["coordinator"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(RECORD, typed(valid_from=tomorrow.isoformat()))
    assert response.status_code == 200 and "valid_from" in response.context["form"].errors
    assert client.post(RECORD, typed()).status_code == 302
    response = client.post(RECORD, typed(hours_per_week="36"))
    assert response.status_code == 200 and "valid_from" in response.context["form"].errors
    assert CoordinatorPosition.objects.get().hours_per_week == 24


@pytest.mark.parametrize("username", ["authority", "manager"])
def test_the_top_reads_but_does_not_record(people, staff_client, username):
    staff_client(people["coordinator"]).post(RECORD, typed())
    client = staff_client(people[username])
    page = client.get(PAGE)
    assert page.status_code == 200 and page.context["current"] is not None
    assert not page.context["may_record"]
    assert client.get(RECORD).status_code == 404
    assert client.post(RECORD, typed(valid_from="2026-02-01")).status_code == 404
    assert CoordinatorPosition.objects.count() == 1


def test_bzk_reads_every_organisation_at_a_glance(people, staff_client):
    staff_client(people["coordinator"]).post(RECORD, typed())
    page = staff_client(people["bzk-coordinator"]).get(PAGE + "?organisatie=fin")
    assert page.status_code == 200 and page.context["organisation"].slug == "fin"
    rows = {each.slug: found for each, found, _judged in page.context["overview"]}
    assert rows["bzk"] is not None and rows["fin"] is None
    assert staff_client(people["bzk-coordinator"]).get(RECORD).status_code == 404


@pytest.mark.parametrize("username", ["employee", "adviser", "investigator", "guide", "auditor"])
def test_no_one_else_reads_it(people, staff_client, username):
    client = staff_client(people[username])
    assert client.get(PAGE).status_code == 404
    assert client.get(RECORD).status_code == 404


def test_another_organisations_coordinator_gets_404_for_bzk(people, staff_client, make_staff):
    staff_client(people["coordinator"]).post(RECORD, typed())
    other = make_staff(Role.COORDINATOR, "fin", username="coordinator-elsewhere")
    client = staff_client(other)
    assert client.get(PAGE + "?organisatie=bzk").status_code == 404
    assert client.post(RECORD + "?organisatie=bzk", typed()).status_code == 404
    assert client.get(PAGE + "?organisatie=niet-bestaand").status_code == 404
    assert CoordinatorPosition.objects.filter(organisation__slug="fin").count() == 0
