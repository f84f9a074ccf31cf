"""Entries for the cells, returns and figures tests, written through `entries.apply_values`."""

import datetime
import itertools

import pytest

from integriteit.accounts.constants import Role
from integriteit.organisations.constants import Sector
from integriteit.organisations.models import Organisation
from integriteit.registry.constants import EntrySource
from integriteit.registry.entries import EntryValues, apply_values
from integriteit.registry.models import Entry

_numbers = itertools.count(1)


def defensie() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug="defensie",
        defaults={
            "name": "Ministerie van Defensie",
            "sector": Sector.RIJK,
            "abbreviation": "Defensie",
            "outside_bzk_coordination": True,
        },
    )
    return organisation


def add_entry(organisation, received_on: datetime.date, **values) -> Entry:
    entry = Entry()
    apply_values(
        entry,
        EntryValues(
            organisation_id=organisation.pk,
            reference=values.pop("reference", f"R-{next(_numbers)}"),
            kind=values.pop("kind", "integrity_violation"),
            received_on=received_on,
            **values,
        ),
        source=EntrySource.MANUAL,
    )
    return entry


@pytest.fixture
def orgs(people):
    return {
        "bzk": Organisation.objects.get(slug="bzk"),
        "fin": Organisation.objects.get(slug="fin"),
        "defensie": defensie(),
    }


@pytest.fixture
def users(people, orgs, make_staff):
    found = {
        "bzk_coordinator": people["coordinator"],
        "fin_coordinator": make_staff(Role.COORDINATOR, "fin", username="fin-coord"),
        "def_coordinator": make_staff(Role.COORDINATOR, "defensie", username="def-coord"),
        "def_authority": make_staff(Role.COMPETENT_AUTHORITY, "defensie", username="def-auth"),
        "government": people["bzk-coordinator"],
        "authority": people["authority"],
        "auditor": people["auditor"],
        "admin": people["admin"],
        "employee": people["employee"],
    }
    for user in found.values():
        user.is_verified = lambda: True  # logged in with the second factor
    return found
