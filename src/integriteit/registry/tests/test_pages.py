"""The coordinator's registry pages (issue 11 §1, §7): the list with its filters, pagination and
exports in a constant number of queries, an entry with its history, registering a case handled
outside the system and correcting an entry; access per role and organisation."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from integriteit.audit.models import AuditEntry
from integriteit.registry.constants import EntrySource
from integriteit.registry.models import Entry, EntryChange

from .helpers import investigated, make_entry

pytestmark = pytest.mark.django_db

LIST = reverse("registry:list")
NEW = reverse("registry:new")


def detail(entry) -> str:
    return reverse("registry:detail", kwargs={"entry_id": entry.pk})


def correct(entry) -> str:
    return reverse("registry:correct", kwargs={"entry_id": entry.pk})


def form_data(entry_or_values=None, **fields) -> dict:
    data = {
        "organisation": "",
        "reference": "BZK-P-2021-007",
        "kind": "integrity_violation",
        "unit": "",
        "channel": "other",
        "received_on": "2021-04-12",
        "acknowledged_on": "2021-04-14",
        "fed_back_on": "",
        "closed_on": "2021-09-30",
        "follow_up": "investigation",
        "violation_types": ["financial"],
        "investigated": "on",
        "executor": "rijksrecherche",
        "finding_financial": "established",
        "measure_written_reprimand": "1",
        "criminal_complaints": "1",
        "persons_involved": "1",
        "reason": "Paper file from the archive",
        "year": "2021",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def coordinator(people, staff_client):
    return staff_client(people["coordinator"])


def bzk_pk():
    from integriteit.organisations.models import Organisation

    return Organisation.objects.get(slug="bzk").pk


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_the_organisations_entries_newest_first(coordinator):
    make_entry(reference="B-2", received_on=datetime.date(2023, 3, 1))
    make_entry(reference="B-1", received_on=datetime.date(2023, 3, 1), **investigated())
    make_entry(reference="B-0", received_on=datetime.date(2022, 1, 5))
    make_entry("fin", "F-1")
    response = coordinator.get(LIST)
    assert response.status_code == 200
    shown = [row.entry.reference for row in response.context["rows"]]
    assert shown == ["B-1", "B-2", "B-0"]
    html = response.content.decode()
    assert "F-1" not in html
    with translation.override("en"):
        html = coordinator.get("/en" + LIST).content.decode()
    assert "Rijksrecherche" in html
    assert "Financial violations: established" in html
    assert "Written reprimand × 2" in html


def test_open_or_closed_at_the_reference_date_and_duration(coordinator):
    make_entry(reference="B-1", **investigated())  # received 1 March, closed 1 June 2023
    response = coordinator.get(LIST, {"on": "2023-04-01"})
    (row,) = response.context["rows"]
    assert row.open is True and row.duration == 31
    response = coordinator.get(LIST, {"on": "2023-12-31"})
    (row,) = response.context["rows"]
    assert row.open is False and row.duration == 92
    response = coordinator.get(LIST, {"on": "2023-01-01"})
    (row,) = response.context["rows"]
    assert row.open is None and row.duration is None
    assert coordinator.get(LIST, {"on": "2023-04-01", "status": "closed"}).context["rows"] == []
    assert len(coordinator.get(LIST, {"on": "2023-04-01", "status": "open"}).context["rows"]) == 1


def test_filters_and_search(coordinator):
    make_entry(reference="A-2023", **investigated())
    make_entry(reference="B-2022", received_on=datetime.date(2022, 5, 1), kind="wrongdoing")
    make_entry(reference="C-SYS", source=EntrySource.SYSTEM, violation_types=["behaviour"])

    def refs(**query):
        return {row.entry.reference for row in coordinator.get(LIST, query).context["rows"]}

    assert refs(year="2023") == {"A-2023"}
    assert refs(kind="wrongdoing") == {"B-2022"}
    assert refs(source="system") == {"C-SYS"}
    assert refs(source="manual") == {"A-2023", "B-2022"}
    assert refs(violation_type="behaviour") == {"C-SYS"}
    assert refs(reference="2022") == {"B-2022"}
    assert refs(reference="nothing") == set()
    assert 'id="registry-empty"' in coordinator.get(LIST, {"reference": "x"}).content.decode()
    # A value that is not one of the choices selects nothing extra and breaks nothing.
    assert coordinator.get(LIST, {"year": "abc", "on": "not a date"}).status_code == 200


def test_empty_registry(coordinator):
    response = coordinator.get(LIST)
    assert response.status_code == 200
    assert 'id="registry-empty"' in response.content.decode()


def test_pagination_fifty_per_page(coordinator):
    for number in range(51):
        make_entry(reference=f"B-{number:03d}")
    first = coordinator.get(LIST)
    assert len(first.context["rows"]) == 50
    second = coordinator.get(LIST, {"page": "2"})
    assert len(second.context["rows"]) == 1


def test_the_list_takes_a_constant_number_of_queries(
    coordinator, django_assert_max_num_queries, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_entry(reference="B-000", **investigated())
    with CaptureQueriesContext(connection) as few:
        coordinator.get(LIST)
    for number in range(1, 40):
        make_entry(reference=f"B-{number:03d}", **investigated())
    with django_assert_num_queries(len(few)):
        coordinator.get(LIST)
    with django_assert_max_num_queries(len(few)):
        coordinator.get(reverse("registry:export", kwargs={"kind": "csv"}))


def test_csv_and_xlsx_export_of_the_filtered_list_audited(coordinator, people):
    make_entry(reference="=B-1", **investigated())
    make_entry(reference="B-2022", received_on=datetime.date(2022, 5, 1))
    make_entry("fin", "F-1")
    response = coordinator.get(reverse("registry:export", kwargs={"kind": "csv"}), {"year": "2023"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert rows[1][1] == "'=B-1"  # a formula made inert (figures.exports)
    assert rows[1][9] == "1"
    audit = AuditEntry.objects.filter(action="registry.exported").get()
    assert audit.actor_id == people["coordinator"].pk
    assert audit.detail["rows"] == 1 and audit.detail["format"] == "csv"

    response = coordinator.get(reverse("registry:export", kwargs={"kind": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    references = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == ["'=B-1", "B-2022"]
    assert AuditEntry.objects.filter(action="registry.exported").count() == 2
    assert coordinator.get(reverse("registry:export", kwargs={"kind": "pdf"})).status_code == 404


# --- the entry and its history ----------------------------------------------------------------


def test_detail_shows_facts_and_history_with_labels(coordinator, people):
    entry = make_entry(reference="B-1")
    correct_url, detail_url = "/en" + correct(entry), "/en" + detail(entry)
    with translation.override("en"):
        posted = coordinator.post(
            correct_url,
            form_data(
                reference="B-1",
                received_on="2023-03-01",
                acknowledged_on="",
                closed_on="",
                year="2023",
                channel="manager",
                investigated="",
                executor="",
                finding_financial="",
                measure_written_reprimand="",
                criminal_complaints="0",
                persons_involved="3",
                follow_up="",
                reason="Count of persons corrected after the file was found",
            ),
        )
        assert posted.status_code == 302, (posted.status_code, posted.get("Location"))
        html = coordinator.get(detail_url).content.decode()
    assert "Persons involved" in html
    assert "persons_involved" not in html
    assert "Count of persons corrected after the file was found" in html
    change = entry.changes.filter(source=EntrySource.MANUAL, by=people["coordinator"]).get()
    assert change.fields == {"persons_involved": [0, 3]}


# --- registering by hand ----------------------------------------------------------------------


def test_register_a_case_handled_outside_the_system(coordinator, people):
    page = coordinator.get(NEW, {"jaar": "2021"})
    assert page.status_code == 200
    form = page.context["form"]
    # The lists of 2021: the violation types of 2018-2021, the cao 2020 measures.
    assert form.lists["violation_type"].version == "2018"
    assert "measure_written_reprimand" in form.fields
    response = coordinator.post(NEW + "?jaar=2021", form_data())
    entry = Entry.objects.get(reference="BZK-P-2021-007")
    assert response.status_code == 302 and response["Location"] == detail(entry)
    assert entry.source == EntrySource.MANUAL and entry.organisation_id == bzk_pk()
    assert entry.violation_types.get().taxonomy.version == "2018"
    assert entry.established
    assert entry.executor is not None and entry.executor.code == "rijksrecherche"
    assert [(m.measure.code, m.count) for m in entry.measures.all()] == [("written_reprimand", 1)]
    change = entry.changes.get()
    assert change.source == EntrySource.MANUAL and change.by == people["coordinator"]
    assert change.reason == "Paper file from the archive"
    audit = AuditEntry.objects.get(action="registry.entry_registered")
    assert audit.object_id == str(entry.pk)


def test_invalid_values_give_errors_per_field_and_keep_what_was_typed(coordinator):
    response = coordinator.post(
        NEW,
        form_data(
            closed_on="2021-01-01",  # before receipt
            finding_financial="not_established",  # a measure without an established violation
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "closed_on" in form.errors
    assert form.group_errors["measures"]
    assert 'id="measures_error"' in response.content.decode()
    assert 'value="BZK-P-2021-007"' in response.content.decode()
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.filter(action="registry.entry_registered").exists()


def test_receipt_outside_the_year_of_the_lists(coordinator):
    response = coordinator.post(NEW, form_data(received_on="2024-02-01", year="2021"))
    assert "received_on" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_reference_unique_per_organisation(coordinator, people, staff_client):
    make_entry(reference="BZK-P-2021-007")
    response = coordinator.post(NEW, form_data())
    assert "reference" in response.context["form"].errors
    assert Entry.objects.count() == 1
    # Another organisation may use the same reference.
    fin = staff_client(people["coordinator-fin"])
    assert fin.post(NEW, form_data()).status_code == 302
    assert Entry.objects.count() == 2


def test_a_coordinator_cannot_register_for_another_organisation(coordinator):
    from integriteit.organisations.models import Organisation

    fin = Organisation.objects.get(slug="fin")
    response = coordinator.post(NEW, form_data(organisation=str(fin.pk)))
    assert response.status_code == 302
    # Her one organisation is shown, not chosen: the posted one is ignored.
    assert Entry.objects.get().organisation_id == bzk_pk()
    assert not Entry.objects.filter(organisation=fin).exists()


# --- corrections ------------------------------------------------------------------------------


def test_correct_a_manual_entry_with_a_reason(coordinator):
    entry = make_entry(reference="B-1", **investigated())
    page = coordinator.get(correct(entry))
    assert page.context["form"]["measure_written_reprimand"].value() == 2
    # Date fields carry ISO dates, which a browser's date field reads in every language.
    assert 'name="received_on" value="2023-03-01"' in page.content.decode()
    data = form_data(
        reference="B-1",
        received_on="2023-03-01",
        acknowledged_on="",
        closed_on="2023-06-01",
        channel="manager",
        year="2023",
        measure_written_reprimand="3",
        reason="",
    )
    response = coordinator.post(correct(entry), data)
    assert "reason" in response.context["form"].errors  # a correction says why
    response = coordinator.post(correct(entry), {**data, "reason": "x" * 501})
    assert "reason" in response.context["form"].errors
    response = coordinator.post(correct(entry), {**data, "reason": "Count from the file"})
    assert response.status_code == 302 and response["Location"] == detail(entry)
    entry.refresh_from_db()
    assert entry.measures.get().count == 3
    change = entry.changes.filter(source=EntrySource.MANUAL).latest("pk")
    assert change.reason == "Count from the file"
    assert change.fields["measures"] == [{"written_reprimand": 2}, {"written_reprimand": 3}]
    audit = AuditEntry.objects.get(action="registry.entry_corrected")
    assert audit.object_id == str(entry.pk)
    # The same values again: nothing written, nothing audited.
    response = coordinator.post(correct(entry), {**data, "reason": "Count from the file"})
    assert response.status_code == 302
    assert entry.changes.count() == 2
    assert AuditEntry.objects.filter(action="registry.entry_corrected").count() == 1


def test_a_system_entry_is_corrected_only_once_frozen(coordinator):
    entry = make_entry(reference="S-1", source=EntrySource.SYSTEM)
    page = coordinator.get(correct(entry))
    assert page.status_code == 200 and 'id="not-correctable"' in page.content.decode()
    assert "<form" not in page.content.decode().split('id="not-correctable"')[1]
    assert 'id="not-correctable"' in coordinator.get(detail(entry)).content.decode()
    assert coordinator.post(correct(entry), form_data(reference="S-1")).status_code == 409
    assert entry.changes.count() == 1

    Entry.objects.filter(pk=entry.pk).update(frozen_at=timezone.now())
    received = entry.received_on.isoformat()
    response = coordinator.post(
        correct(entry),
        form_data(
            reference="S-1",
            received_on=received,
            acknowledged_on="",
            closed_on="",
            channel="manager",
            investigated="",
            executor="",
            finding_financial="",
            measure_written_reprimand="",
            criminal_complaints="0",
            follow_up="",
            persons_involved="2",
            year=str(timezone.localdate().year),
            reason="Two persons, not none",
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.persons_involved == 2 and entry.source == EntrySource.SYSTEM
    assert entry.changes.latest("pk").source == EntrySource.MANUAL


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    ["bzk-coordinator", "authority", "manager", "auditor", "admin", "employee", "investigator"],
)
def test_no_registry_for_other_roles(people, staff_client, username):
    entry = make_entry(reference="B-1")
    client = staff_client(people[username])
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, form_data()).status_code == 404
    assert client.get(reverse("registry:export", kwargs={"kind": "csv"})).status_code == 404
    assert client.get(detail(entry)).status_code == 404
    assert client.get(correct(entry)).status_code == 404
    assert client.post(correct(entry), form_data()).status_code == 404
    assert Entry.objects.count() == 1
    assert not EntryChange.objects.filter(source=EntrySource.MANUAL, by=people[username]).exists()


def test_fin_coordinator_cannot_open_a_bzk_entry(people, staff_client):
    entry = make_entry(reference="B-1")
    own = make_entry("fin", "F-1")
    fin = staff_client(people["coordinator-fin"])
    refs = [row.entry.reference for row in fin.get(LIST).context["rows"]]
    assert refs == ["F-1"]
    assert fin.get(detail(own)).status_code == 200
    assert fin.get(detail(entry)).status_code == 404
    assert fin.get(correct(entry)).status_code == 404
    assert fin.post(correct(entry), form_data(reference="B-1")).status_code == 404
    assert entry.changes.count() == 1


@pytest.mark.parametrize("tampered", ["abc", "1.5", "99999999999999999999", "-1", "0"])
def test_tampered_ids_are_not_found(coordinator, tampered):
    make_entry(reference="B-1")
    assert coordinator.get(f"/register/{tampered}/").status_code == 404
    assert coordinator.get(f"/register/{tampered}/corrigeren/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(LIST).status_code == 302


def test_navigation_shows_the_registry_to_coordinators_only(people, staff_client):
    assert f'href="{LIST}"' in staff_client(people["coordinator"]).get(LIST).content.decode()
    html = staff_client(people["manager"]).get(reverse("workspace"), follow=True).content.decode()
    assert f'href="{LIST}"' not in html


# --- demo -------------------------------------------------------------------------------------


def test_demo_registers_earlier_years_for_bzk(people):
    from integriteit.accounts.demo import DemoContext
    from integriteit.organisations.models import Organisation
    from integriteit.registry.demo import load_registry

    context = DemoContext(
        organisations={o.slug: o for o in Organisation.objects.all()}, people=people
    )
    load_registry(context)
    entries = Entry.objects.filter(organisation__slug="bzk", source=EntrySource.MANUAL)
    assert entries.count() >= 30
    years = set(entries.values_list("received_on__year", flat=True))
    assert {2019, 2025} <= years
    assert entries.filter(findings__established=True).exists()
    assert entries.filter(measures__isnull=False).exists()
    old = entries.filter(received_on__year=2019).first()
    assert old is not None
    assert {c.taxonomy.version for c in old.violation_types.all()} == {"2018"}
    load_registry(context)  # idempotent
    assert Entry.objects.filter(organisation__slug="bzk").count() == entries.count()
    # A published year for the figures page, and last year's return waiting for BZK.
    from integriteit.registry.constants import ReturnStatus
    from integriteit.registry.models import AnnualReturn, Publication

    last_year = datetime.date.today().year - 1
    assert list(Publication.objects.values_list("year", flat=True)) == [last_year - 1]
    waiting = AnnualReturn.objects.get(organisation__slug="bzk", year=last_year)
    assert waiting.status == ReturnStatus.SUBMITTED
    # BZK's manager and competent authority see BZK's figures of last year, and the case
    # registered after the submission as a difference from the return.
    from integriteit.registry import own_figures

    bzk = Organisation.objects.get(slug="bzk")
    for username in ("manager", "authority"):
        user = people[username]
        user.is_verified = lambda: True
        own = own_figures.of_organisation(user, bzk, last_year)
        assert own.figures is not None and own.return_note is not None
        differences = {d.key: (d.submitted, d.now) for d in own.return_note.differences}
        submitted, now = differences["reports.total"]
        assert int(now) == int(submitted) + 1


def test_a_coordinator_of_two_organisations_chooses_and_filters(people, make_staff, staff_client):
    from integriteit.accounts.constants import Role
    from integriteit.accounts.tests.factories import RoleAssignmentFactory
    from integriteit.organisations.models import Organisation

    user = make_staff(Role.COORDINATOR, "bzk", username="two-hats")
    fin = Organisation.objects.get(slug="fin")
    RoleAssignmentFactory.create(role=Role.COORDINATOR, organisation=fin, user=user)
    make_entry(reference="B-1")
    make_entry("fin", "F-1")
    client = staff_client(user)
    refs = {row.entry.reference for row in client.get(LIST).context["rows"]}
    assert refs == {"B-1", "F-1"}
    refs = {
        row.entry.reference for row in client.get(LIST, {"organisation": fin.pk}).context["rows"]
    }
    assert refs == {"F-1"}
    response = client.post(NEW, form_data(organisation=str(fin.pk)))
    assert response.status_code == 302
    assert Entry.objects.get(reference="BZK-P-2021-007").organisation == fin
    assert "organisation" in client.post(NEW, form_data()).context["form"].errors
