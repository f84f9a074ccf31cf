"""The organisations tree of SYSTEM.md module 1: sector → organisation → nested units, the line
of management that follows the units upwards, and which organisations accept reports."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from integriteit.organisations.constants import Sector
from integriteit.organisations.models import Organisation, Unit
from integriteit.organisations.selectors import active_organisations

from .factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Unit]:
    """directorate → department → team, in one organisation."""
    directorate = UnitFactory.create(name="Directorate")
    department = UnitFactory.create(
        organisation=directorate.organisation, parent=directorate, name="Department"
    )
    team = UnitFactory.create(organisation=directorate.organisation, parent=department, name="Team")
    return {"directorate": directorate, "department": department, "team": team}


def _parent_error_code(unit: Unit) -> str:
    with pytest.raises(ValidationError) as refused:
        unit.full_clean()
    (error,) = refused.value.error_dict["parent"]
    return str(error.code)


# --- Organisations -------------------------------------------------------------------------


def test_new_organisation_defaults_follow_the_rules():
    organisation = OrganisationFactory.create()
    organisation.full_clean()
    assert organisation.retention_years == 5  # RULES R9 default
    assert organisation.interim_feedback_weeks == 4  # seed 004 §6
    assert organisation.is_active
    assert not organisation.outside_bzk_coordination


def test_every_sector_of_the_tree_is_a_choice():
    assert set(Sector.values) == {"rijk", "gemeenten", "provincies", "waterschappen"}
    organisation = OrganisationFactory.build(sector="bedrijfsleven")
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert set(refused.value.error_dict) == {"sector"}


@pytest.mark.parametrize(
    "copy",
    [
        pytest.param({"name": "Ministerie van Proef", "slug": "other"}, id="name"),
        pytest.param({"name": "Other", "slug": "proef"}, id="slug"),
    ],
)
def test_name_and_slug_are_unique(copy):
    OrganisationFactory.create(name="Ministerie van Proef", slug="proef")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(sector=Sector.RIJK, **copy)


def test_active_organisations_are_the_ones_accepting_reports_by_name():
    OrganisationFactory.create(name="Zeeland Ministerie")
    OrganisationFactory.create(name="Aa Ministerie")
    OrganisationFactory.create(name="Closed Ministerie", is_active=False)
    names = list(active_organisations().values_list("name", flat=True))
    assert names == sorted(names)
    assert "Closed Ministerie" not in names
    assert {"Aa Ministerie", "Zeeland Ministerie"} <= set(names)


# --- Units and the line of management ------------------------------------------------------


def test_ancestors_run_from_the_unit_up_to_the_top(tree):
    assert tree["team"].ancestors_and_self() == [
        tree["team"],
        tree["department"],
        tree["directorate"],
    ]
    assert tree["directorate"].ancestors_and_self() == [tree["directorate"]]


def test_ancestors_stop_at_a_loop_the_database_holds(tree):
    """A loop written around `clean` (an import, a raw update) does not hang the routing."""
    Unit.objects.filter(pk=tree["directorate"].pk).update(parent=tree["team"])
    team = Unit.objects.get(pk=tree["team"].pk)
    assert [unit.name for unit in team.ancestors_and_self()] == [
        "Team",
        "Department",
        "Directorate",
    ]


def test_a_unit_in_its_own_organisation_is_valid(tree):
    for unit in tree.values():
        unit.full_clean()


def test_parent_in_another_organisation_is_refused(tree):
    elsewhere = UnitFactory.create(name="Elsewhere")
    elsewhere.parent = tree["directorate"]
    assert _parent_error_code(elsewhere) == "parent_in_other_organisation"


@pytest.mark.parametrize("below", ["directorate", "department", "team"])
def test_a_unit_under_itself_or_below_it_is_refused(tree, below):
    directorate = tree["directorate"]
    directorate.parent = tree[below]
    assert _parent_error_code(directorate) == "parent_cycle"


def test_a_unit_can_move_under_a_sibling_branch(tree):
    other = UnitFactory.create(
        organisation=tree["directorate"].organisation, name="Other directorate"
    )
    team = tree["team"]
    team.parent = other
    team.full_clean()


def test_unit_names_are_unique_per_organisation_only(tree):
    UnitFactory.create(name="Team")  # the same name in another organisation
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory.create(organisation=tree["team"].organisation, name="Team")


def test_a_unit_with_units_below_it_cannot_be_deleted(tree):
    with pytest.raises(ProtectedError):
        tree["department"].delete()
    tree["team"].delete()
    tree["department"].delete()
    assert list(Unit.objects.filter(organisation=tree["directorate"].organisation)) == [
        tree["directorate"]
    ]


def test_a_unit_names_its_organisation_briefly():
    unit = UnitFactory.create(name="Inkoop", organisation__abbreviation="BZK")
    assert str(unit) == "Inkoop (BZK)"
    unit.organisation.abbreviation = ""
    assert str(unit) == f"Inkoop ({unit.organisation.name})"
