"""Annual returns: frozen versions, the differences and their reasons, the states, who may do
what (issue 11 §3, §7), and the publication as the sum of the validated returns."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from integriteit.audit.models import AuditEntry
from integriteit.registry import cells, returns
from integriteit.registry.constants import EntrySource, ReturnStatus
from integriteit.registry.entries import apply_values, values_of
from integriteit.registry.models import AnnualReturn
from integriteit.registry.tests import regdata
from integriteit.registry.tests.regdata import add_entry

pytestmark = pytest.mark.django_db
orgs, users = regdata.orgs, regdata.users  # fixtures
D = datetime.date


def submitted(user, organisation, year=2024):
    annual_return = returns.open_return(user, organisation, year)
    returns.submit(user, annual_return)
    annual_return.refresh_from_db()
    return annual_return


def test_a_frozen_return_does_not_change_when_an_entry_changes(orgs, users):
    entry = add_entry(orgs["bzk"], D(2024, 4, 1), violation_types=["financial"])
    add_entry(orgs["bzk"], D(2024, 5, 1), violation_types=["behaviour"])
    annual_return = submitted(users["bzk_coordinator"], orgs["bzk"])
    version = annual_return.latest_version
    frozen = dict(version.cells)
    values = values_of(entry)
    values.violation_types = ["financial", "information"]
    values.investigated = True
    apply_values(
        entry,
        values,
        source=EntrySource.MANUAL,
        by=users["bzk_coordinator"],
        reason="Type was missing",
    )
    version.refresh_from_db()
    assert version.cells == frozen
    assert version.cells["reports"]["by_type"] == {"financial": 1, "behaviour": 1}
    rows = {row["key"]: row for row in returns.comparison(annual_return)}
    assert (
        rows["reports.by_type.information"]["frozen"],
        rows["reports.by_type.information"]["current"],
    ) == (None, 1)
    assert [c.reason for c in rows["reports.by_type.information"]["changes"]] == [
        "Type was missing"
    ]
    assert [c.reason for c in rows["investigations"]["changes"]] == ["Type was missing"]
    assert rows["reports.total"]["changes"] == []  # unchanged cell: no reasons listed


def test_states_and_versions(orgs, users):
    add_entry(orgs["fin"], D(2024, 4, 1))
    annual_return = submitted(users["fin_coordinator"], orgs["fin"])
    assert annual_return.status == ReturnStatus.SUBMITTED
    with pytest.raises(returns.ReturnError):
        returns.submit(users["fin_coordinator"], annual_return)
    with pytest.raises(returns.ReturnError):
        returns.send_back(users["government"], annual_return, "  ")
    returns.send_back(users["government"], annual_return, "Check the types")
    annual_return.refresh_from_db()
    assert (annual_return.status, annual_return.remark) == (
        ReturnStatus.RETURNED,
        "Check the types",
    )
    add_entry(orgs["fin"], D(2024, 6, 1))
    returns.submit(users["fin_coordinator"], annual_return, "Added a paper file")
    assert [v.cells["reports"]["total"] for v in annual_return.versions.all()] == [1, 2]
    returns.validate(users["government"], annual_return)
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.VALIDATED
    actions = set(
        AuditEntry.objects.filter(object_type="annualreturn").values_list("action", flat=True)
    )
    assert {
        "registry.return_submitted",
        "registry.return_returned",
        "registry.return_validated",
    } <= actions


def test_access_per_role(orgs, users):
    bzk_return = submitted(users["bzk_coordinator"], orgs["bzk"])
    fin_return = submitted(users["fin_coordinator"], orgs["fin"])
    def_return = submitted(users["def_coordinator"], orgs["defensie"])
    # The coordinator of FIN cannot see or submit BZK's return.
    with pytest.raises(PermissionDenied):
        returns.return_for(users["fin_coordinator"], bzk_return.pk)
    with pytest.raises(PermissionDenied):
        returns.open_return(users["fin_coordinator"], orgs["bzk"], 2024)
    with pytest.raises(PermissionDenied):
        returns.return_for(users["fin_coordinator"], 987654)  # tampered id
    # BZK validates BZK's and FIN's, not Defensie's; nor does it see it.
    assert set(returns.returns_visible_to(users["government"])) == {bzk_return, fin_return}
    with pytest.raises(PermissionDenied):
        returns.validate(users["government"], def_return)
    returns.validate(users["government"], fin_return)
    # The coordinator cannot validate her own return.
    with pytest.raises(PermissionDenied):
        returns.validate(users["bzk_coordinator"], bzk_return)
    # BZK's competent authority does not validate (BZK is under BZK coordination).
    with pytest.raises(PermissionDenied):
        returns.validate(users["authority"], bzk_return)
    # Defensie's competent authority validates Defensie's, and nothing else.
    returns.validate(users["def_authority"], def_return)
    with pytest.raises(PermissionDenied):
        returns.send_back(users["def_authority"], bzk_return, "no")
    for name in ("auditor", "admin", "employee"):
        assert not returns.returns_visible_to(users[name]).exists()
        with pytest.raises(PermissionDenied):
            returns.return_for(users[name], bzk_return.pk)
        with pytest.raises(PermissionDenied):
            returns.validate(users[name], bzk_return)
        with pytest.raises(PermissionDenied):
            returns.publish(users[name], 2024)
        with pytest.raises(PermissionDenied):
            returns.set_headcount(users[name], orgs["bzk"], 2024, Decimal("10"))


def test_published_figures_are_the_sum_of_the_validated_returns(orgs, users):
    for i in range(7):
        add_entry(
            orgs["bzk"],
            D(2024, 1 + i, 3),
            violation_types=["financial"],
            investigated=i % 2 == 0,
            findings={"financial": i % 2 == 0},
            measures={"fine": 1} if i % 2 == 0 else {},
            closed_on=D(2024, 10, 1),
        )
        add_entry(orgs["fin"], D(2024, 2, 1 + i), violation_types=["behaviour", "financial"])
        add_entry(
            orgs["defensie"], D(2024, 3, 1 + i), violation_types=["force"], criminal_complaints=1
        )
    bzk_return = submitted(users["bzk_coordinator"], orgs["bzk"])
    fin_return = submitted(users["fin_coordinator"], orgs["fin"])
    def_return = submitted(users["def_coordinator"], orgs["defensie"])
    returns.validate(users["government"], bzk_return)
    returns.validate(users["government"], fin_return)
    returns.validate(users["def_authority"], def_return)
    # A change after validation is not in the publication.
    add_entry(orgs["bzk"], D(2024, 8, 1), violation_types=["financial"])
    publication = returns.publish(users["government"], 2024)
    sector = publication.cells["sector"]
    inside = [bzk_return.latest_version.cells, fin_return.latest_version.cells]
    for key, value in cells.flat(sector).items():
        if key.startswith("duration"):
            continue
        assert value == sum(cells.flat(c).get(key) or 0 for c in inside), key
    assert sector["reports"]["total"] == 14
    assert "force" not in sector["reports"]["by_type"]  # Defensie never in the sector total
    assert publication.cells["outside"][str(orgs["defensie"].pk)]["reports"]["total"] == 7
    assert set(AnnualReturn.objects.values_list("status", flat=True)) == {ReturnStatus.PUBLISHED}
    with pytest.raises(returns.ReturnError):
        returns.publish(users["government"], 2024)


def test_headcount(orgs, users):
    returns.set_headcount(users["bzk_coordinator"], orgs["bzk"], 2024, Decimal("2500.5"))
    returns.set_headcount(users["bzk_coordinator"], orgs["bzk"], 2024, Decimal("2600"))
    assert returns.headcount(orgs["bzk"].pk, 2024) == Decimal("2600")
    with pytest.raises(PermissionDenied):
        returns.set_headcount(users["fin_coordinator"], orgs["bzk"], 2024, Decimal("1"))


def test_a_return_leaves_the_organisation_suppressed(orgs, users, staff_client):
    """BZK validates FIN's return from the suppressed tables; FIN's coordinator sees the exact
    cells (issue 11 §5: every figure that leaves the organisation is suppressed)."""
    for day in range(1, 4):  # three reports: under the threshold of 5
        add_entry(orgs["fin"], D(2024, 3, day), violation_types=["behaviour"])
    annual_return = submitted(users["fin_coordinator"], orgs["fin"])
    url = f"/register/jaaropgaven/{annual_return.pk}/"

    outside = staff_client(users["government"]).get(url)
    assert outside.status_code == 200
    page = outside.content.decode()
    assert 'data-cell="reports.total"' not in page  # not the exact cells
    assert "&lt;5" in page
    assert ">3<" not in page

    inside = staff_client(users["fin_coordinator"]).get(url).content.decode()
    assert 'data-cell="reports.total"' in inside
