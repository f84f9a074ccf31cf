"""The work queue (issue 10 "Work queue"): open cases by default, filters on status, handler and
deadline, sortable columns, saved filters, and the export of what the queue shows, audited and
never more than the person may see."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment, SavedQueueFilter
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.django_db

QUEUE = "/behandeling/"
SECRET = "Er worden bonnen vervalst bij inkoop."


def listed(response) -> list[str]:
    return [report.reference for report in response.context["page"].object_list]


def set_phase(report: Report, phase: str) -> Report:
    Report.objects.filter(pk=report.pk).update(phase=phase)  # the phase is not in the seal
    return Report.objects.get(pk=report.pk)


def handler(report: Report, user) -> CaseAssignment:
    return CaseAssignment.objects.create(report=report, user=user, role=CaseRole.HANDLER)


@pytest.fixture
def cases(make_report):
    """Three open cases of BZK and a closed one, and one of Finance."""
    made = {name: make_report("bzk")[0] for name in ("a", "b", "c")}
    made["closed"] = set_phase(make_report("bzk")[0], Phase.CLOSED)
    made["fin"] = make_report("fin")[0]
    return made


@pytest.fixture
def coordinator(people, staff_client):
    return staff_client(people["coordinator"])


# --- Which cases ---------------------------------------------------------------------------


def test_the_queue_shows_open_cases_unless_asked_for_all(coordinator, cases):
    shown = listed(coordinator.get(QUEUE))
    assert cases["closed"].reference not in shown
    assert {cases[n].reference for n in "abc"} <= set(shown)
    everything = listed(coordinator.get(QUEUE, {"phase": "all"}))
    assert cases["closed"].reference in everything
    only_closed = listed(coordinator.get(QUEUE, {"phase": Phase.CLOSED}))
    assert only_closed == [cases["closed"].reference]


def test_awaiting_a_decision_is_both_decision_phases(coordinator, cases):
    set_phase(cases["a"], Phase.FOLLOW_UP_DECISION)
    set_phase(cases["b"], Phase.DECISION)
    shown = listed(coordinator.get(QUEUE, {"phase": "awaiting_decision"}))
    assert sorted(shown) == sorted([cases["a"].reference, cases["b"].reference])


def test_handler_filter_mine_none_and_a_colleague(people, coordinator, cases, make_staff):
    colleague = make_staff(Role.COORDINATOR, username="collega")
    handler(cases["a"], people["coordinator"])
    handler(cases["b"], colleague)
    assert listed(coordinator.get(QUEUE, {"assignee": "mine"})) == [cases["a"].reference]
    assert listed(coordinator.get(QUEUE, {"assignee": "unassigned"})) == [cases["c"].reference]
    page = coordinator.get(QUEUE, {"assignee": str(colleague.pk)})
    assert listed(page) == [cases["b"].reference]
    # The handler column names them.
    html = coordinator.get(QUEUE).content.decode()
    assert str(colleague) in html and str(people["coordinator"]) in html


def test_a_handler_of_another_organisation_is_no_choice(people, coordinator, cases):
    handler(cases["fin"], people["coordinator-fin"])
    form = coordinator.get(QUEUE).context["form"]
    assert str(people["coordinator-fin"].pk) not in dict(form.fields["assignee"].choices)
    # Asked for anyway, the filter is refused, and nothing of Finance is shown.
    response = coordinator.get(QUEUE, {"assignee": str(people["coordinator-fin"].pk)})
    assert "assignee" in response.context["form"].errors
    assert cases["fin"].reference not in listed(response)


def test_feedback_due_soon(coordinator, cases):
    soon = timezone.now() + datetime.timedelta(days=2)
    Report.objects.filter(pk=cases["b"].pk).update(feedback_due=soon)
    assert listed(coordinator.get(QUEUE, {"deadline": "feedback_near"})) == [cases["b"].reference]


def test_organisation_filter_only_for_someone_who_sees_several(people, staff_client, cases):
    assert (
        "organisation" not in staff_client(people["coordinator"]).get(QUEUE).context["form"].fields
    )
    both = people["coordinator"]
    from integriteit.accounts.tests.factories import RoleAssignmentFactory
    from integriteit.organisations.models import Organisation

    RoleAssignmentFactory.create(
        user=both, role=Role.COORDINATOR, organisation=Organisation.objects.get(slug="fin")
    )
    page = staff_client(both).get(QUEUE)
    assert "organisation" in page.context["form"].fields
    assert cases["fin"].reference in listed(page)


# --- Sorting -------------------------------------------------------------------------------


def test_sort_by_reference_both_ways_with_aria_sort(coordinator, cases):
    open_refs = sorted(cases[n].reference for n in "abc")
    ascending = coordinator.get(QUEUE, {"sort": "reference"})
    assert listed(ascending) == open_refs
    html = ascending.content.decode()
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>.*?</th>', html, re.S)
    assert header is not None and "sort=-reference" in header.group(0)
    descending = coordinator.get(QUEUE, {"sort": "-reference"})
    assert listed(descending) == open_refs[::-1]
    assert 'aria-sort="descending"' in descending.content.decode()


def test_sort_keys_are_whitelisted(coordinator, cases):
    default = listed(coordinator.get(QUEUE))
    for value in ("sealed_content", "-wrapped_key", "organisation__name", "pk; drop"):
        response = coordinator.get(QUEUE, {"sort": value})
        assert response.status_code == 200
        assert listed(response) == default
        assert "aria-sort" not in response.content.decode()


def test_ties_keep_a_stable_order(coordinator, cases):
    same = timezone.now() - datetime.timedelta(days=1)
    Report.objects.filter(pk__in=[cases[n].pk for n in "abc"]).update(received_at=same)
    first = listed(coordinator.get(QUEUE, {"sort": "received"}))
    assert first == listed(coordinator.get(QUEUE, {"sort": "received"}))
    by_pk = [r.reference for r in sorted((cases[n] for n in "abc"), key=lambda r: r.pk)]
    assert first == by_pk


def test_sort_by_phase_follows_the_process(coordinator, cases):
    set_phase(cases["a"], Phase.FEEDBACK)
    set_phase(cases["b"], Phase.ASSESSMENT)
    shown = listed(coordinator.get(QUEUE, {"sort": "phase"}))
    assert shown.index(cases["c"].reference) < shown.index(cases["b"].reference)
    assert shown.index(cases["b"].reference) < shown.index(cases["a"].reference)


def test_pages_keep_filters_and_sort(coordinator, cases, make_report, monkeypatch):
    monkeypatch.setattr("integriteit.cases.views.workspace.PAGE_SIZE", 2)
    page = coordinator.get(QUEUE, {"sort": "reference"})
    assert page.context["page"].paginator.num_pages == 2
    assert "sort=reference&amp;page=2" in page.content.decode()
    second = coordinator.get(QUEUE, {"sort": "reference", "page": 2})
    assert listed(second) == sorted(cases[n].reference for n in "abc")[2:]


# --- Saved filters -------------------------------------------------------------------------


def test_save_apply_and_delete_a_filter(people, coordinator, cases):
    response = coordinator.post(
        "/behandeling/filters/",
        {"name": "Mijn achterstand", "query": "phase=all&sort=-received&page=3&evil=1"},
    )
    saved = SavedQueueFilter.objects.get(user=people["coordinator"])
    assert saved.query == "phase=all&sort=-received"  # no page, nothing foreign
    assert response["Location"] == f"{QUEUE}?phase=all&sort=-received"
    assert AuditEntry.objects.filter(action="cases.queue_filter_saved").exists()
    page = coordinator.get(QUEUE)
    assert "Mijn achterstand" in page.content.decode()
    assert f"{QUEUE}?phase=all&amp;sort=-received" in page.content.decode()
    # Saving the same name again replaces it.
    coordinator.post("/behandeling/filters/", {"name": "Mijn achterstand", "query": "phase="})
    assert SavedQueueFilter.objects.get(user=people["coordinator"]).query == ""
    coordinator.post(f"/behandeling/filters/{saved.pk}/verwijderen/")
    assert not SavedQueueFilter.objects.exists()


def test_a_filter_needs_a_name(coordinator, cases):
    coordinator.post("/behandeling/filters/", {"name": "  ", "query": "phase=all"})
    assert not SavedQueueFilter.objects.exists()


def test_someone_elses_saved_filter_is_neither_shown_nor_deleted(people, staff_client, cases):
    theirs = SavedQueueFilter.objects.create(
        user=people["coordinator-fin"], name="Fin-lijst", query="phase=all"
    )
    client = staff_client(people["coordinator"])
    assert "Fin-lijst" not in client.get(QUEUE).content.decode()
    assert client.post(f"/behandeling/filters/{theirs.pk}/verwijderen/").status_code == 404
    assert SavedQueueFilter.objects.filter(pk=theirs.pk).exists()


# --- Export --------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_export_holds_the_columns_shown_and_nothing_else(people, coordinator, make_report):
    report, _code = make_report("bzk", name="Jan Melder", email="jan@example.org")
    handler(report, people["coordinator"])
    response = coordinator.get("/behandeling/werkvoorraad.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert len(rows) == 2 and len(rows[0]) == 9
    assert rows[1][0] == report.reference
    assert rows[1][8] == str(people["coordinator"])
    body = response.content.decode()
    for never in (SECRET, "bonnen", "Jan Melder", "jan@example.org"):
        assert never not in body


def test_xlsx_export_opens_with_the_same_rows(coordinator, cases):
    response = coordinator.get("/behandeling/werkvoorraad.xlsx", {"sort": "reference"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == sorted(cases[n].reference for n in "abc")


def test_an_unknown_export_format_is_404(coordinator, cases):
    assert coordinator.get("/behandeling/werkvoorraad.pdf").status_code == 404


def test_every_export_is_audited_without_the_search_text(people, coordinator, cases):
    coordinator.get("/behandeling/werkvoorraad.csv", {"q": "bonnen", "phase": "all"})
    entry = AuditEntry.objects.get(action="cases.queue_exported")
    assert entry.actor_id == people["coordinator"].pk
    assert entry.detail["format"] == "csv"
    assert entry.detail["filters"]["phase"] == "all"
    assert entry.detail["filters"]["search"] is True
    assert entry.detail["rows"] == 4
    assert "bonnen" not in str(entry.detail)


def test_the_export_follows_the_filters(coordinator, cases):
    rows = csv_rows(coordinator.get("/behandeling/werkvoorraad.csv", {"phase": Phase.CLOSED}))
    assert [row[0] for row in rows[1:]] == [cases["closed"].reference]


def test_formula_text_is_made_inert(people, coordinator, cases):
    people["coordinator"].first_name = "=HYPERLINK(1)"
    people["coordinator"].save()
    handler(cases["a"], people["coordinator"])
    rows = csv_rows(coordinator.get("/behandeling/werkvoorraad.csv"))
    assert any(row[8].startswith("'=") for row in rows[1:])


# --- Access: never another organisation's case, never an excluded person's ----------------


def test_another_organisations_cases_are_never_in_queue_or_export(coordinator, cases):
    fin = cases["fin"].reference
    for params in ({}, {"phase": "all"}, {"q": fin}, {"assignee": "unassigned"}):
        assert fin not in listed(coordinator.get(QUEUE, params))
        exported = csv_rows(coordinator.get("/behandeling/werkvoorraad.csv", params))
        assert fin not in {row[0] for row in exported}
        sheet = load_workbook(
            io.BytesIO(coordinator.get("/behandeling/werkvoorraad.xlsx", params).content)
        ).active
        assert fin not in {row[0] for row in sheet.iter_rows(values_only=True)}


def test_an_excluded_persons_cases_are_never_in_queue_or_export(
    make_staff, staff_client, make_report, cases
):
    named = make_staff(Role.COORDINATOR, username="genoemd")
    about_her, _code = make_report("bzk", involved=(named,))
    client = staff_client(named)
    assert about_her.reference not in client.get(QUEUE, {"phase": "all"}).content.decode()
    assert listed(client.get(QUEUE, {"q": about_her.reference})) == []
    exported = client.get("/behandeling/werkvoorraad.csv", {"q": about_her.reference})
    assert csv_rows(exported)[1:] == []
    everything = client.get("/behandeling/werkvoorraad.csv", {"phase": "all"})
    assert about_her.reference not in everything.content.decode()
    # Her other cases are there.
    assert cases["a"].reference in client.get("/behandeling/werkvoorraad.csv").content.decode()


def test_mine_is_only_what_the_person_sees(people, staff_client, cases):
    """An investigator's "mine" is her own cases; the rest of the organisation stays hidden."""
    CaseAssignment.objects.create(
        report=cases["a"], user=people["investigator"], role=CaseRole.INVESTIGATOR
    )
    client = staff_client(people["investigator"])
    assert listed(client.get(QUEUE, {"assignee": "mine"})) == [cases["a"].reference]
    assert listed(client.get(QUEUE, {"assignee": "unassigned", "phase": "all"})) == [
        cases["a"].reference
    ]
    rows = csv_rows(client.get("/behandeling/werkvoorraad.csv", {"phase": "all"}))
    assert [row[0] for row in rows[1:]] == [cases["a"].reference]


def test_the_export_needs_the_second_factor(client, people, cases):
    client.force_login(people["coordinator"])
    response = client.get("/behandeling/werkvoorraad.csv")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="cases.queue_exported").exists()
