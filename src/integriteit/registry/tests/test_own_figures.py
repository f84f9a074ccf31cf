"""Figures of my organisation (issue 11 §4, §7): the coordinators, competent authority and
management of an organisation see its exact figures, live from the entries, with the note of
the year's return; everyone else gets 404, for every organisation they are not inside and for
an id that is no id; the exports are audited."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.registry import access, returns
from integriteit.registry.models import Entry
from integriteit.registry.tests import regdata
from integriteit.registry.tests.regdata import add_entry

pytestmark = pytest.mark.django_db
orgs, users = regdata.orgs, regdata.users  # fixtures
D = datetime.date
URL = "/register/cijfers/organisatie/"
INSIDE_BZK = ("coordinator", "authority", "manager", "director")
OUTSIDE_BZK = (
    "bzk-coordinator",
    "auditor",
    "admin",
    "employee",
    "adviser",
    "adviser-ext",
    "investigator",
    "guide",
    "employee-fin",
)


@pytest.fixture
def bzk_2024(orgs):
    """Three reports of 2024 at BZK: under the threshold, so suppressed outside BZK."""
    add_entry(
        orgs["bzk"],
        D(2024, 2, 1),
        reference="B-1",
        violation_types=["financial"],
        investigated=True,
        findings={"financial": True},
        measures={"written_reprimand": 2},
        acknowledged_on=D(2024, 2, 3),
        fed_back_on=D(2024, 3, 1),
        closed_on=D(2024, 3, 1),
    )
    add_entry(orgs["bzk"], D(2024, 3, 1), reference="B-2", violation_types=["behaviour"])
    add_entry(
        orgs["bzk"],
        D(2024, 4, 1),
        reference="B-3",
        kind="undesirable_behaviour",
        violation_types=["behaviour"],
        closed_on=D(2024, 5, 1),
    )


def _verified(user):
    user.is_verified = lambda: True
    return user


def _page(staff_client, user, **params):
    return staff_client(_verified(user)).get(URL, {"year": 2024, **params})


def test_the_access_rule_per_role(people, orgs, users):
    bzk = orgs["bzk"]
    for username in INSIDE_BZK:
        found = access.organisations_for_own_figures(_verified(people[username]))
        assert list(found) == [bzk], username
    for username in OUTSIDE_BZK:
        found = access.organisations_for_own_figures(_verified(people[username]))
        assert not found.exists(), username
    assert list(access.organisations_for_own_figures(users["fin_coordinator"])) == [orgs["fin"]]
    # Defensie's competent authority is inside Defensie (outside BZK's coordination).
    assert list(access.organisations_for_own_figures(users["def_authority"])) == [orgs["defensie"]]
    unverified = people["manager"]
    unverified.is_verified = lambda: False
    assert not access.organisations_for_own_figures(unverified).exists()


@pytest.mark.parametrize("username", INSIDE_BZK)
def test_inside_the_organisation_the_figures_are_exact(
    people, orgs, bzk_2024, staff_client, username
):
    response = _page(staff_client, people[username])
    assert response.status_code == 200
    data = response.context["figures"]
    assert data.exact
    funnel = data.table("funnel")
    # 3 reports, 1 investigation, 1 established, 2 measures: exact, nothing under 5 hidden.
    assert funnel.display_rows() == [(orgs["bzk"].abbreviation, ["3", "1", "1", "2", "0"])]
    assert dict(data.table("types").display_rows()) == {
        label: [n] for label, n in _labelled({"financial": "1", "behaviour": "2"}).items()
    }
    assert data.table("measures").display_rows()[0][1] == ["2"]
    handling = {row.key: row.cells[0].value for row in data.table("handling").rows}
    assert handling == {"open": 1, "closed": 2, "acknowledged_in_time": 1, "fed_back_in_time": 1}
    assert all(c.shown for t in data.tables for r in t.all_rows() for c in r.all_cells())
    page = response.content.decode()
    assert "&lt;5" not in page and "<svg" in page and "<caption" in page
    # Never an entry: no reference on the page.
    assert "B-1" not in page and "B-2" not in page


def _labelled(by_code: dict[str, str]) -> dict[str, str]:
    from integriteit.registry.published import _type_labels

    labels = _type_labels(list(by_code), 2024)
    return {labels[code]: value for code, value in by_code.items()}


@pytest.mark.parametrize("username", OUTSIDE_BZK)
def test_outside_the_organisation_the_page_is_not_there(
    people, orgs, bzk_2024, staff_client, username
):
    client = staff_client(_verified(people[username]))
    for params in ({}, {"organisation": orgs["bzk"].pk}, {"organisation": orgs["fin"].pk}):
        assert client.get(URL, {"year": 2024, **params}).status_code == 404, params
        export = reverse("registry:own_figures_export", kwargs={"kind": "csv"})
        assert client.get(export, {"year": 2024, **params}).status_code == 404, params
    assert not AuditEntry.objects.filter(action="registry.own_figures_exported").exists()


def test_another_organisations_roles_get_404(orgs, users, bzk_2024, staff_client, make_staff):
    fin_manager = make_staff(Role.MANAGER, "fin", username="fin-manager")
    fin_authority = make_staff(Role.COMPETENT_AUTHORITY, "fin", username="fin-authority")
    for user in (users["fin_coordinator"], fin_manager, fin_authority, users["def_authority"]):
        client = staff_client(_verified(user))
        assert client.get(URL, {"organisation": orgs["bzk"].pk}).status_code == 404
        own = client.get(URL)  # without an organisation: her own
        assert own.status_code == 200
        assert own.context["own"].organisation != orgs["bzk"]


@pytest.mark.parametrize(
    "tampered", ["987654321", "abc", "0", "-1", "1 OR 1=1", "%00", "1.0", " 1"]
)
def test_a_tampered_organisation_id_is_404(people, orgs, staff_client, tampered):
    client = staff_client(_verified(people["manager"]))
    assert client.get(URL, {"organisation": tampered}).status_code == 404
    export = reverse("registry:own_figures_export", kwargs={"kind": "xlsx"})
    assert client.get(export, {"organisation": tampered}).status_code == 404


def test_a_page_for_anonymous_and_password_only_users_is_not_there(client, people):
    assert client.get(URL).status_code in (302, 404)
    client.force_login(people["manager"])  # no second factor
    assert client.get(URL).status_code == 302


def test_empty_state(people, orgs, staff_client):
    response = _page(staff_client, people["manager"])
    assert response.status_code == 200
    assert response.context["figures"] is None
    page = response.content.decode()
    assert 'id="own-figures-empty"' in page and "<svg" not in page
    assert 'id="own-figures-csv"' not in page


def test_the_return_note_shows_status_and_differences(people, orgs, users, bzk_2024, staff_client):
    coordinator = users["bzk_coordinator"]
    annual_return = returns.open_return(coordinator, orgs["bzk"], 2024)
    draft = _page(staff_client, people["manager"]).content.decode()
    assert 'data-return-status="draft"' in draft and 'id="own-differences"' not in draft
    returns.submit(coordinator, annual_return)
    same = _page(staff_client, people["manager"]).content.decode()
    assert 'data-return-status="submitted"' in same and 'id="own-no-differences"' in same
    # An entry of 2024 registered after the submission: the live figures move, the return not.
    add_entry(orgs["bzk"], D(2024, 6, 1), reference="B-LATE", violation_types=["financial"])
    response = _page(staff_client, people["manager"])
    note = response.context["own"].return_note
    differences = {d.key: (d.submitted, d.now) for d in note.differences}
    assert differences["reports.total"] == ("3", "4")
    assert differences["reports.by_type.financial"] == ("1", "2")
    assert response.context["figures"].table("funnel").rows[0].cells[0].value == 4
    page = response.content.decode()
    assert 'data-cell="reports.total"' in page
    assert "B-LATE" not in page  # counts only, never an entry
    # The manager cannot open the return; the competent authority and the coordinator can.
    assert not note.can_open
    assert f"/register/jaaropgaven/{annual_return.pk}/" not in page
    for name in ("authority", "coordinator"):
        other = _page(staff_client, people[name])
        assert other.context["own"].return_note.can_open
        assert f"/register/jaaropgaven/{annual_return.pk}/" in other.content.decode()
    returns.validate(users["government"], annual_return)
    returns.publish(users["government"], 2024)
    published = _page(staff_client, people["authority"]).content.decode()
    assert 'data-return-status="published"' in published


def test_year_on_year_with_a_change_of_the_list(people, orgs, staff_client):
    # 2023 counts in the list of 2022, 2024 in the list of 2024: "financial" maps onto
    # "financial", "position_powers_conflict" splits into "position" and "powers".
    for day, types in ((1, ["financial"]), (2, ["financial"]), (3, ["position_powers_conflict"])):
        add_entry(orgs["bzk"], D(2023, 5, day), violation_types=types)
    for day, types in (
        (1, ["financial"]),
        (2, ["financial"]),
        (3, ["financial"]),
        (4, ["position"]),
    ):
        add_entry(orgs["bzk"], D(2024, 5, day), violation_types=types)
    data = _page(staff_client, people["manager"]).context["figures"]
    # Reports, then the types of 2024 by code: financial, position.
    with translation.override("nl"):
        not_comparable = translation.gettext("not comparable")
    assert [change for _label, change in data.year_on_year] == ["+1", "+1", not_comparable]
    assert len(data.notes) == 1 and "2023" in data.notes[0] and "2024" in data.notes[0]
    # The first year with entries has nothing to compare with.
    first = _page(staff_client, people["manager"], year=2023).context["figures"]
    assert first.year_on_year == []


def test_filters_by_type_and_kind(people, orgs, bzk_2024, staff_client):
    response = _page(staff_client, people["manager"], type="behaviour", kind="integrity_violation")
    data = response.context["figures"]
    assert [row.key for row in data.table("types").rows] == ["behaviour"]
    assert [row.key for row in data.table("established").rows] == ["behaviour"]
    assert [row.key for row in data.table("kinds").rows] == ["integrity_violation"]
    assert {code for code, _name in response.context["types"]} == {"financial", "behaviour"}


def test_exports_are_exact_and_audited(people, orgs, bzk_2024, staff_client):
    client = staff_client(_verified(people["manager"]))
    url = reverse("registry:own_figures_export", kwargs={"kind": "csv"})
    response = client.get(url, {"year": 2024, "type": "behaviour"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    funnel = next(row for row in rows if row and row[0] == orgs["bzk"].abbreviation)
    assert funnel[1:] == ["3", "1", "1", "2", "0"]
    assert not any("<5" in value for row in rows for value in row)
    audit = AuditEntry.objects.get(action="registry.own_figures_exported")
    assert audit.actor_id == people["manager"].pk
    assert audit.object_type == "organisation" and audit.object_id == str(orgs["bzk"].pk)
    assert audit.detail == {
        "year": 2024,
        "format": "csv",
        "filters": {"type_code": "behaviour", "kind": ""},
    }
    xlsx = client.get(reverse("registry:own_figures_export", kwargs={"kind": "xlsx"}))
    assert xlsx.status_code == 200
    values = [
        v
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for v in row
    ]
    assert orgs["bzk"].abbreviation in values
    assert AuditEntry.objects.filter(action="registry.own_figures_exported").count() == 2
    pdf = reverse("registry:own_figures_export", kwargs={"kind": "pdf"})
    assert client.get(pdf).status_code == 404
    assert AuditEntry.objects.filter(action="registry.own_figures_exported").count() == 2


def test_the_page_takes_no_entry_outside_the_organisation(people, orgs, bzk_2024, staff_client):
    """FIN's entries of the year count at FIN only."""
    add_entry(orgs["fin"], D(2024, 2, 1), violation_types=["financial"])
    data = _page(staff_client, people["manager"]).context["figures"]
    assert data.table("funnel").rows[0].cells[0].value == 3
    assert Entry.objects.filter(received_on__year=2024).count() == 4
