"""Writing to the database gives no access (issue 8 item 5; docs/decisions/0012-access-seals.md).

Someone who can write to the database but does not hold the key document inserts or changes the
rows that decide access: a case assignment, a role, a report's organisation, its exclusions. Each
tampered row gives nothing: the person gets 404 like for a report that does not exist, a report
that fails its seal is shown to nobody (its own coordinators too), and an integrity alert enters
the audit chain. The valid flows that write these rows keep working.

The tampering is raw SQL, as an attacker with database access would write it, so it passes no
model code. A forged seal column (when the model has one) holds what an attacker can produce
without the key: a copy of another row's seal.
"""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from integriteit.access import rules
from integriteit.accounts.constants import Role
from integriteit.accounts.demo import load_demo
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.models import AuditEntry
from integriteit.cases import access as case_access
from integriteit.cases import services as case_services
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.cases.tests.flow import Flow, verified
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation
from integriteit.reports import services as report_services
from integriteit.reports.constants import ExclusionReason
from integriteit.reports.models import Report, ReportExclusion
from integriteit.reports.receipts import new_submission_token
from integriteit.testing import make_report

pytestmark = pytest.mark.django_db

REPORTER_NAME = "Sanne de Melder"


# --- Raw SQL, as someone with database access writes it ------------------------------------


def _execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _column_values(model, values: dict) -> tuple[list[str], list]:
    columns, params = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        columns.append(connection.ops.quote_name(field.column))
        params.append(field.get_db_prep_save(value, connection))
    return columns, params


def _has_seal(model) -> bool:
    return any(field.name == "seal" for field in model._meta.fields)


def raw_insert(model, **values) -> None:
    if _has_seal(model) and "seal" not in values:
        # Without the key the best an attacker has: the seal of some other, valid row.
        values["seal"] = model.objects.exclude(seal="").values_list("seal", flat=True).first() or ""
    columns, params = _column_values(model, values)
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(params))
    _execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", params)  # noqa: S608


def raw_update(model, pk, **values) -> None:
    columns, params = _column_values(model, values)
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{column} = %s" for column in columns)
    key = model._meta.pk
    params.append(key.get_db_prep_value(pk, connection))
    _execute(f"UPDATE {table} SET {assignments} WHERE {key.column} = %s", params)  # noqa: S608


def raw_delete_exclusions(report: Report) -> None:
    table = connection.ops.quote_name(ReportExclusion._meta.db_table)
    key = Report._meta.pk.get_db_prep_value(report.pk, connection)
    _execute(f"DELETE FROM {table} WHERE report_id = %s", [key])  # noqa: S608


# --- What the person and the audit trail see ------------------------------------------------


def alerts(object_type: str) -> int:
    return AuditEntry.objects.filter(action="integrity.alert", object_type=object_type).count()


def sees_nothing(client, report: Report, *texts: str) -> None:
    """404 on the case page, the reference absent from the queue and from a search for it."""
    response = client.get(f"/behandeling/{report.pk}/")
    assert response.status_code == 404
    for text in (report.reference, *texts):
        assert text not in response.content.decode()
    assert report.reference not in client.get("/behandeling/").content.decode()
    for query in (report.reference, "bonnen"):  # the page repeats the query: look at the rows
        listed = client.get("/behandeling/", {"q": query}).context["page"].object_list
        assert report.pk not in {row.pk for row in listed}


def sees(client, report: Report) -> None:
    assert client.get(f"/behandeling/{report.pk}/").status_code == 200
    assert report.reference in client.get("/behandeling/").content.decode()


@pytest.fixture
def bzk():
    return Organisation.objects.get(slug="bzk")


@pytest.fixture
def fin():
    return Organisation.objects.get(slug="fin")


# --- Case assignments --------------------------------------------------------------------------


def test_inserted_case_assignment_gives_no_access(people, staff_client):
    report, _code = make_report("bzk", name=REPORTER_NAME)
    outsider = people["employee-fin"]  # another ministry's employee
    raw_insert(
        CaseAssignment,
        report=report.pk,
        user=outsider.pk,
        role=CaseRole.HANDLER,
        assigned_at=timezone.now(),
    )
    sees_nothing(staff_client(outsider), report, REPORTER_NAME)
    assert alerts("case_assignment") >= 1
    assert not rules.reports_visible_to(verified(outsider)).exists()
    # The report itself is untouched: its coordinator still handles it.
    sees(staff_client(people["coordinator"]), report)


def test_ended_assignment_revived_in_the_database_gives_no_access(people, staff_client):
    flow = Flow(people, name=REPORTER_NAME)
    flow.acknowledge()
    assignment = case_services.assign(
        flow.coordinator, flow.report, flow.guide, CaseRole.PROCESS_GUIDE
    )
    guide = staff_client(people["guide"])
    sees(guide, flow.report)
    case_services.end_assignment(flow.coordinator, assignment)
    sees_nothing(guide, flow.report)
    raw_update(CaseAssignment, assignment.pk, ended_at=None)
    sees_nothing(guide, flow.report)
    assert alerts("case_assignment") >= 1


def test_assignment_changed_to_a_stronger_role_gives_no_access(people, staff_client):
    """A process guide who makes their row a handler's would read the reporter's name (R7)."""
    flow = Flow(people, name=REPORTER_NAME)
    flow.acknowledge()
    assignment = case_services.assign(
        flow.coordinator, flow.report, flow.guide, CaseRole.PROCESS_GUIDE
    )
    raw_update(CaseAssignment, assignment.pk, role=CaseRole.HANDLER)
    sees_nothing(staff_client(people["guide"]), flow.report, REPORTER_NAME)
    assert rules.allowed_actions(flow.guide, flow.report) == frozenset()
    assert alerts("case_assignment") >= 1


# --- Role assignments --------------------------------------------------------------------------


def test_inserted_coordinator_role_gives_nothing(people, staff_client, bzk):
    report, _code = make_report("bzk", name=REPORTER_NAME)
    outsider = people["employee-fin"]
    raw_insert(RoleAssignment, user=outsider.pk, organisation=bzk.pk, role=Role.COORDINATOR)
    sees_nothing(staff_client(outsider), report, REPORTER_NAME)
    verified(outsider)
    assert not rules.reports_visible_to(outsider).exists()
    assert not rules.organisations_user_can_register_for(outsider).filter(pk=bzk.pk).exists()
    assert not case_access.organisations_for_process_evaluation(outsider).exists()
    assert alerts("role_assignment") >= 1


def test_role_moved_to_another_organisation_gives_nothing(people, staff_client, fin):
    """The Financiën coordinator's row edited to hold for BZK instead."""
    report, _code = make_report("bzk")
    coordinator_fin = people["coordinator-fin"]
    row = RoleAssignment.objects.get(user=coordinator_fin, role=Role.COORDINATOR)
    raw_update(RoleAssignment, row.pk, organisation=Organisation.objects.get(slug="bzk").pk)
    sees_nothing(staff_client(coordinator_fin), report)
    assert alerts("role_assignment") >= 1


# --- The report's organisation ---------------------------------------------------------------


def test_changed_organisation_shows_the_report_to_nobody(people, staff_client, fin):
    flow = Flow(people, name=REPORTER_NAME)
    flow.acknowledge()  # the BZK coordinator is also the case's handler now
    report = flow.report
    raw_update(Report, report.pk, organisation=fin.pk)
    # The other ministry's coordinator, who would now "coordinate" it: nothing.
    sees_nothing(staff_client(people["coordinator-fin"]), report, REPORTER_NAME)
    # Its own coordinator and handler: nothing either (fail closed), until it is restored.
    sees_nothing(staff_client(people["coordinator"]), report, REPORTER_NAME)
    assert alerts("report") >= 1
    raw_update(Report, report.pk, organisation=report.organisation_id)
    sees(staff_client(people["coordinator"]), report)


# --- Exclusions ----------------------------------------------------------------------------------


@pytest.fixture
def named_manager(people, bzk):
    """The manager holds the coordinator role too, and a report names him."""
    manager = people["manager"]
    RoleAssignment.objects.create(user=manager, organisation=bzk, role=Role.COORDINATOR)
    report, _code = make_report("bzk", involved=(manager,), name=REPORTER_NAME)
    return manager, report


def test_named_manager_who_deletes_his_exclusions_sees_nothing(people, staff_client, named_manager):
    manager, report = named_manager
    other, _code = make_report("bzk")
    client = staff_client(manager)
    sees_nothing(client, report)
    raw_delete_exclusions(report)
    sees_nothing(client, report, REPORTER_NAME)
    assert alerts("report") >= 1
    # Not on the work overview either, and not to the coordinator who was never named (the
    # report fails its seal: nobody sees it until it is restored).
    assert report.reference not in client.get("/behandeling/overzicht/").content.decode()
    sees_nothing(staff_client(people["coordinator"]), report)
    # Everything else still works for him.
    sees(client, other)


def test_no_mail_about_a_report_whose_exclusions_were_deleted(people, named_manager):
    manager, report = named_manager
    raw_delete_exclusions(report)
    assert rules.is_excluded(manager, report)
    assert manager not in case_services.case_coordinators(report)


def test_a_later_exclusion_does_not_reseal_a_tampered_set(people, staff_client, named_manager):
    """Adding an exclusion seals the new set only over a seal that held: otherwise deleting a
    row and waiting for the next legitimate exclusion would make the deletion valid."""
    manager, report = named_manager
    raw_delete_exclusions(report)
    report_services.exclude_people(report, [people["director"]], ExclusionReason.NAMED)
    sees_nothing(staff_client(manager), report)
    assert AuditEntry.objects.filter(
        action="integrity.alert", object_type="report", detail__when="resealing"
    ).exists()


def test_swapped_exclusion_gives_no_access(people, staff_client, named_manager):
    """The manager's tag replaced by someone else's: the set differs, the seal fails."""
    manager, report = named_manager
    row = ReportExclusion.objects.get(report=report)
    raw_update(ReportExclusion, row.pk, person_tag=person_tag(people["director"].pk))
    sees_nothing(staff_client(manager), report)
    assert alerts("report") >= 1


# --- The valid flows keep their seals ------------------------------------------------------------


def test_handling_a_case_raises_no_alert(people, staff_client):
    flow = Flow(people, name=REPORTER_NAME)
    flow.acknowledge()
    guide = case_services.assign(flow.coordinator, flow.report, flow.guide, CaseRole.PROCESS_GUIDE)
    flow.assign_investigator()
    flow.assign_authority()
    case_services.record_subject(flow.investigator, flow.report, person=people["employee"])
    case_services.end_assignment(flow.coordinator, guide)
    for username in ("coordinator", "investigator", "authority"):
        assert staff_client(people[username]).get(f"/behandeling/{flow.pk}/").status_code == 200
    assert staff_client(people["guide"]).get(f"/behandeling/{flow.pk}/").status_code == 404
    assert alerts("report") == alerts("case_assignment") == alerts("role_assignment") == 0


def test_complaint_handlers_keep_both_reports_sealed(people, staff_client, bzk):
    original = Flow(people)
    original.to("closed")
    complaint, _code = case_services.file_complaint(
        original.report, "Het duurde te lang.", new_submission_token()
    )
    second = verified(people["coordinator-fin"])
    RoleAssignment.objects.create(user=second, organisation=bzk, role=Role.COORDINATOR)
    case_services.assign(second, complaint, second, CaseRole.HANDLER)
    client = staff_client(second)
    assert client.get(f"/behandeling/{complaint.pk}/").status_code == 200
    sees_nothing(client, original.report)
    # The original case's coordinator is kept from the complaint, and still sees the original.
    coordinator = staff_client(people["coordinator"])
    assert coordinator.get(f"/behandeling/{original.pk}/").status_code == 200
    assert coordinator.get(f"/behandeling/{complaint.pk}/").status_code == 404
    assert alerts("report") == 0


def test_demo_data_is_sealed_and_reloading_keeps_it(people):
    from integriteit.access.seals import role_assignment_intact

    load_demo()
    assert RoleAssignment.objects.count() > len(people)
    for row in RoleAssignment.objects.all():
        assert role_assignment_intact(
            row.seal, row.user_id, row.organisation_id, row.role, row.unit_id
        )


def test_personal_data_removal_leaves_a_sealed_report(people, staff_client, named_manager):
    """Retention removes the exclusions (RULES R9) and seals the empty set."""
    _manager, report = named_manager
    report_services.remove_exclusions(report)
    assert not report.exclusions.exists()
    assert staff_client(people["coordinator"]).get(f"/behandeling/{report.pk}/").status_code == 200
    assert alerts("report") == 0


def test_migrations_seal_existing_rows(people, named_manager, monkeypatch):
    """The data migrations seal what exists when seals are introduced. They read the key
    document as it is: during an upgrade the key check cannot run yet (its table and the
    columns of the key holders it counts are still being created), so they must not call it."""
    from importlib import import_module

    from django.apps import apps

    from integriteit.access.seals import case_assignment_intact
    from integriteit.crypto import keycheck

    _manager, report = named_manager
    Flow(people, report=report).acknowledge()  # a handler's assignment
    Report.objects.update(access_seal="")
    RoleAssignment.objects.update(seal="")
    CaseAssignment.objects.update(seal="")

    def no_check_during_migrate():
        raise AssertionError("a data migration ran the key check")

    monkeypatch.setattr(keycheck, "checked_keyring", no_check_during_migrate)
    monkeypatch.setattr("integriteit.crypto.tokens.checked_keyring", no_check_during_migrate)
    for module, function in (
        ("integriteit.reports.migrations.0007_report_access_seal", "seal_reports"),
        ("integriteit.accounts.migrations.0002_role_assignment_seal", "seal_role_assignments"),
        ("integriteit.cases.migrations.0004_case_assignment_seal", "seal_case_assignments"),
    ):
        getattr(import_module(module), function)(apps, None)
    monkeypatch.undo()
    for row in CaseAssignment.objects.all():
        assert case_assignment_intact(row.seal, row.report_id, row.user_id, row.role, False)
    verified(people["coordinator"])
    assert rules.reports_visible_to(people["coordinator"]).filter(pk=report.pk).exists()
    assert rules.shown_to(people["coordinator"], [report]) == [report]
    assert rules.shown_to(people["manager"], [report]) == []
    assert alerts("report") == alerts("role_assignment") == alerts("case_assignment") == 0


def test_migration_without_keys_refuses_clearly(people, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from integriteit.access import seals

    def no_keys():
        raise ImproperlyConfigured("No key file at /nowhere.")

    monkeypatch.setattr("integriteit.crypto.keys.keyring", no_keys)
    with pytest.raises(ImproperlyConfigured, match="needs the key document"):
        seals.keys_to_seal(3, "reports")
    seals.keys_to_seal(0, "reports")  # an empty database needs no keys


# --- Concurrent exclusion writers (PostgreSQL: row locks) -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_exclusions_do_not_lose_a_tag(people):
    """Two writers exclude people from one report at once (a complaint's two handlers): the
    second waits for the first's row lock and seals both tags. Without the lock the second would
    seal only its own and the report would vanish for its handlers (a false alarm)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs write transactions one at a time")
    report, _code = make_report("bzk")
    first_inside = threading.Event()
    second_started = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                report_services.exclude_people(report, [people["director"]], "named")
                first_inside.set()
                # Hold the lock until the second writer has started its own transaction.
                second_started.wait(timeout=10)
                threading.Event().wait(0.5)  # let it reach the lock
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_inside.wait(timeout=10)
            second_started.set()
            report_services.exclude_people(report, [people["manager"]], "named")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.exclusions.count() == 2
    assert rules.shown_to(people["coordinator"], [fresh]) == [fresh]
    assert alerts("report") == 0
