"""The import pages: upload, mapping and dry run, the import with its progress; the Defensie
2015 register through the views; only the organisation's coordinators reach a job."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from integriteit.accounts.constants import Role
from integriteit.accounts.tests.factories import RoleAssignmentFactory
from integriteit.organisations.models import Organisation
from integriteit.registry import imports
from integriteit.registry.constants import ImportStatus
from integriteit.registry.models import Entry, EntryMeasure, ImportJob
from integriteit.registry.tests import defensie2015

pytestmark = pytest.mark.django_db

HEADER = "Kenmerk;Datum ontvangst;Soort schending;Onderzocht;Vastgesteld;Maatregelen\n"


def upload(client, content: bytes, name="register.csv"):
    return client.post(
        reverse("registry:import_start"), {"file": SimpleUploadedFile(name, content)}
    )


def mapping_post(job, **changes):
    data = {f"column_{column}": "" for column in range(len(job.headers))}
    data.update({f"column_{column}": field for field, column in job.mapping.items()})
    data.update(changes)
    return data


def test_the_defensie_register_through_the_pages(people, staff_client, monkeypatch):
    defensie = defensie2015.defensie()
    user = RoleAssignmentFactory.create(role=Role.COORDINATOR, organisation=defensie).user
    client = staff_client(user)
    page = client.get(reverse("registry:import_start"))
    assert page.status_code == 200
    response = upload(client, defensie2015.csv_bytes())
    job = ImportJob.objects.get()
    assert response.url == reverse("registry:import_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'name="column_0"' in page and "DEF-2015-0001" in page  # headers with sample values
    assert re.search(r'<option value="reference" selected>', page)

    response = client.post(reverse("registry:import_mapping", args=[job.pk]), mapping_post(job))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.invalid_rows) == (ImportStatus.CHECKED, 417, 0)
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert 'data-row="2"' in page and 'name="confirm"' in page
    assert not Entry.objects.filter(organisation=defensie).exists()

    run = reverse("registry:import_run", args=[job.pk])
    client.post(run, {})  # not confirmed: nothing happens
    assert not Entry.objects.filter(organisation=defensie).exists()
    # The whole file within the request, however busy the machine (the budget: next test).
    monkeypatch.setattr(imports, "REQUEST_BUDGET_SECONDS", 600)
    client.post(run, {"confirm": "yes"})
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == (ImportStatus.DONE, 417)
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert 'id="import-done"' in page and "http-equiv" not in page

    entries = Entry.objects.filter(organisation=defensie, received_on__year=2015)
    assert entries.count() == 417
    assert entries.filter(investigated=True).count() == 376
    assert entries.filter(findings__established=True).distinct().count() == 284
    assert EntryMeasure.objects.filter(entry__organisation=defensie, measure__code="none").count()


def test_progress_while_importing_in_batches(people, staff_client, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    monkeypatch.setattr(imports, "REQUEST_BUDGET_SECONDS", 0)
    client = staff_client(people["coordinator"])
    rows = "".join(f"R-{i};1-1-2016;financial;nee;;\n" for i in range(5))
    upload(client, (HEADER + rows).encode())
    job = ImportJob.objects.get()
    client.post(reverse("registry:import_mapping", args=[job.pk]), mapping_post(job))
    client.post(reverse("registry:import_run", args=[job.pk]), {"confirm": "yes"})
    job.refresh_from_db()
    assert (job.status, job.imported_rows, job.to_import) == (ImportStatus.IMPORTING, 2, 5)
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress max="5" value="2"' in page
    call_command("run_imports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == (ImportStatus.DONE, 5)


def test_errors_are_shown_and_the_valid_rows_imported_on_request(people, staff_client):
    client = staff_client(people["coordinator"])
    content = HEADER + "G-1;1-1-2016;financial;nee;;\nF-1;31-02-2015;financial;nee;;\n"
    upload(client, content.encode())
    job = ImportJob.objects.get()
    client.post(reverse("registry:import_mapping", args=[job.pk]), mapping_post(job))
    page = client.get(reverse("registry:import_job", args=[job.pk]) + "?alleen=fouten")
    html = page.content.decode()
    assert 'data-row="3"' in html and 'data-row="2"' not in html
    assert "31-02-2015" in html
    run = reverse("registry:import_run", args=[job.pk])
    client.post(run, {"confirm": "yes"})  # errors remain, not chosen to leave them out
    assert not Entry.objects.filter(reference="G-1").exists()
    client.post(run, {"confirm": "yes", "only_valid": "on"})
    assert Entry.objects.filter(reference="G-1").exists()
    assert not Entry.objects.filter(reference="F-1").exists()


def test_a_refused_file_is_an_error_on_the_form(people, staff_client):
    client = staff_client(people["coordinator"])
    response = upload(client, b"not a workbook", name="register.xlsx")
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_mapping_without_a_reference_is_refused(people, staff_client):
    client = staff_client(people["coordinator"])
    upload(client, (HEADER + "A;1-1-2016;;nee;;\n").encode())
    job = ImportJob.objects.get()
    response = client.post(
        reverse("registry:import_mapping", args=[job.pk]), mapping_post(job, column_0="")
    )
    assert response.status_code == 400
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING


def test_only_the_organisations_coordinators(people, staff_client, make_staff):
    owner = staff_client(people["coordinator"])
    upload(owner, (HEADER + "A;1-1-2016;;nee;;\n").encode())
    job = ImportJob.objects.get()
    colleague = make_staff(Role.COORDINATOR, "bzk")
    assert (
        staff_client(colleague).get(reverse("registry:import_job", args=[job.pk])).status_code
        == 200
    )
    fin = Organisation.objects.get(slug="fin")
    for user in (
        people["coordinator-fin"],
        people["authority"],
        people["bzk-coordinator"],
        people["auditor"],
        people["admin"],
        people["manager"],
    ):
        client = staff_client(user)
        for name in ("import_job", "import_mapping", "import_run", "import_cancel"):
            url = reverse(f"registry:{name}", args=[job.pk])
            response = (
                client.get(url) if name == "import_job" else client.post(url, {"confirm": "yes"})
            )
            assert response.status_code == 404, (user.username, name)
    # Another organisation's coordinator cannot upload into BZK's registry either.
    client = staff_client(people["coordinator-fin"])
    bzk = Organisation.objects.get(slug="bzk")
    client.post(
        reverse("registry:import_start"),
        {
            "organisation": bzk.pk,
            "file": SimpleUploadedFile("r.csv", (HEADER + "B;1-1-2016;;nee;;\n").encode()),
        },
    )
    assert list(ImportJob.objects.values_list("organisation", flat=True)) == [bzk.pk]
    assert ImportJob.objects.filter(organisation=fin).count() == 0
    assert (
        staff_client(people["authority"]).get(reverse("registry:import_start")).status_code == 404
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING
