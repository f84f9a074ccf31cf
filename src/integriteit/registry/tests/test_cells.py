"""The cells of an annual return: each definition, a fixed number of queries, year on year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integriteit.organisations.models import Organisation
from integriteit.registry import cells
from integriteit.registry.tests.regdata import add_entry

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def bzk(people):
    return Organisation.objects.get(slug="bzk")


def test_counts_per_definition(bzk):
    add_entry(
        bzk,
        D(2024, 3, 1),
        violation_types=["financial", "behaviour"],
        investigated=True,
        findings={"financial": True, "behaviour": False},
        measures={"dismissal": 2},
        criminal_complaints=1,
        persons_involved=2,
        acknowledged_on=D(2024, 3, 8),
        fed_back_on=D(2024, 6, 1),
        closed_on=D(2024, 6, 1),
        executor="internal",
    )
    add_entry(
        bzk,
        D(2024, 5, 31),
        violation_types=["financial"],
        acknowledged_on=D(2024, 6, 10),
        fed_back_on=D(2024, 9, 17),
        closed_on=D(2024, 7, 30),
        persons_involved=1,
    )
    add_entry(bzk, D(2024, 12, 20), kind="wrongdoing", violation_types=["information"])
    add_entry(bzk, D(2023, 12, 31), violation_types=["financial"])  # another year
    result = cells.cells_of(bzk, 2024, D(2025, 1, 31))
    assert result["reports"] == {
        "total": 3,
        "by_type": {"financial": 2, "behaviour": 1, "information": 1},
        "by_kind": {"integrity_violation": 2, "wrongdoing": 1},
    }
    assert result["investigations"] == 1
    assert result["established"] == {"total": 1, "by_type": {"financial": 1}}
    assert result["measures"] == {"dismissal": 2}
    assert result["criminal_complaints"] == 1
    assert result["persons_involved"] == 3
    assert result["open"] == 1
    assert result["duration"] == {"closed": 2, "median": 76.0, "p90": 88.8}
    # 1 March -> 8 March is in time; 31 May -> 10 June is not (RULES R3).
    assert result["acknowledged_in_time"] == 1
    # 8 March -> 1 June in time; no acknowledgement in time for the second: its start is the
    # acknowledgement of 10 June, so 17 September is late (RULES R4).
    assert result["fed_back_in_time"] == 1


def test_feedback_three_calendar_months_with_short_month(bzk):
    # Acknowledged on 30 November: 3 months end on 28 February.
    add_entry(bzk, D(2024, 11, 25), acknowledged_on=D(2024, 11, 30), fed_back_on=D(2025, 2, 28))
    add_entry(bzk, D(2024, 11, 25), acknowledged_on=D(2024, 11, 30), fed_back_on=D(2025, 3, 1))
    # No acknowledgement: the term starts 7 days after receipt (2 December).
    add_entry(bzk, D(2024, 11, 25), fed_back_on=D(2025, 3, 2))
    add_entry(bzk, D(2024, 11, 25), fed_back_on=D(2025, 3, 3))
    assert cells.cells_of(bzk, 2024, D(2025, 3, 31))["fed_back_in_time"] == 2
    # Feedback after the reference date does not count yet.
    assert cells.cells_of(bzk, 2024, D(2025, 2, 1))["fed_back_in_time"] == 0


def test_open_at_the_reference_date(bzk):
    add_entry(bzk, D(2024, 10, 1), closed_on=D(2025, 3, 1))
    assert cells.cells_of(bzk, 2024, D(2025, 1, 31))["open"] == 1
    assert cells.cells_of(bzk, 2024, D(2025, 3, 1))["open"] == 0


def test_fixed_number_of_queries_for_many_organisations(bzk):
    fin = Organisation.objects.get(slug="fin")

    def count(n):
        for i in range(n):
            add_entry(
                bzk,
                D(2024, 1 + i % 12, 1),
                violation_types=["financial"],
                investigated=True,
                findings={"financial": True},
                measures={"fine": 1},
                closed_on=D(2024, 12, 1),
            )
            add_entry(fin, D(2024, 2, 1), violation_types=["behaviour"])
        with CaptureQueriesContext(connection) as queries:
            result = cells.cells_of_many([bzk.pk, fin.pk], 2024)
        return len(queries), result

    few, _ = count(2)
    many, result = count(20)
    assert few == many == cells.queries()
    every = list(Organisation.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        cells.cells_of_many(every, 2024)
    assert len(queries) == cells.queries()  # the same for every organisation as for two
    assert result[bzk.pk]["reports"]["total"] == 22
    assert result[fin.pk]["reports"]["by_type"] == {"behaviour": 22}


def test_total_and_differences(bzk):
    fin = Organisation.objects.get(slug="fin")
    add_entry(bzk, D(2024, 1, 1), violation_types=["financial"])
    add_entry(fin, D(2024, 1, 1), violation_types=["financial", "behaviour"])
    many = cells.cells_of_many([bzk.pk, fin.pk], 2024)
    summed = cells.total(many.values(), 2024, D(2025, 1, 31))
    assert summed["reports"]["total"] == 2
    assert summed["reports"]["by_type"] == {"financial": 2, "behaviour": 1}
    assert cells.differences(many[bzk.pk], many[fin.pk]) == {"reports.by_type.behaviour": (0, 1)}


def test_year_on_year_marks_a_list_change_not_comparable(bzk):
    add_entry(bzk, D(2023, 1, 1), violation_types=["financial", "other"])
    add_entry(bzk, D(2024, 1, 1), violation_types=["financial", "position"])
    add_entry(bzk, D(2024, 2, 1), violation_types=["financial"])
    before, after = cells.cells_of(bzk, 2023), cells.cells_of(bzk, 2024)
    assert (before["versions"]["violation_type"], after["versions"]["violation_type"]) == (
        "2022",
        "2024",
    )
    change = cells.year_on_year(before, after)["reports.by_type"]
    assert change["financial"] == 1
    assert change["position"] == cells.NOT_COMPARABLE
    same = cells.year_on_year(after, after)["reports.by_type"]
    assert same == {"financial": 0, "position": 0}


def test_defensie_2015_funnel(people):
    """REGISTRY.md: Defensie 2015, 417 reports, 376 investigations, 284 established; measures
    dismissal 114, reprimand/official note 101, transfer 9, other 90, none 153 (per person)."""
    from integriteit.registry.tests.regdata import defensie

    organisation = defensie()
    measures = (
        [{"dismissal": 1}] * 114
        + [{"reprimand_or_note": 1}] * 101
        + [{"transfer": 1}] * 9
        + [{"other": 2}] * 30
        + [{"other": 1}] * 30
    )
    none = [{"none": 2}] * 20 + [{"none": 1}] * 113
    for i in range(417):
        established, investigated = i < 284, i < 376
        add_entry(
            organisation,
            D(2015, 1 + i % 12, 1 + i % 28),
            violation_types=["financial"],
            investigated=investigated,
            findings={"financial": established} if investigated else {},
            measures=measures[i] if established else none[i - 284] if i - 284 < 133 else {},
        )
    result = cells.cells_of(organisation, 2015)
    assert (
        result["reports"]["total"],
        result["investigations"],
        result["established"]["total"],
    ) == (417, 376, 284)
    assert result["measures"] == {
        "dismissal": 114,
        "reprimand_or_note": 101,
        "transfer": 9,
        "other": 90,
        "none": 153,
    }
    assert result["versions"]["measure"] == "legacy"
