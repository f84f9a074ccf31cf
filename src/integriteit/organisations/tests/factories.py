"""factory_boy factories for the organisations tree (CONVENTIONS.md: `tests/` with
`factories.py`). The demo data (`people` fixture) has the real organisations; these are for a
test that needs its own tree."""

import factory
from factory.django import DjangoModelFactory

from integriteit.organisations.constants import Sector
from integriteit.organisations.models import Organisation, Unit


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    sector = Sector.RIJK
    name = factory.Sequence(lambda n: f"Ministerie van Proef {n}")
    slug = factory.Sequence(lambda n: f"proef-{n}")
    abbreviation = factory.Sequence(lambda n: f"P{n}")


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Directie {n}")
    parent = None
