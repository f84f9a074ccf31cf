"""factory_boy factories for staff accounts (CONVENTIONS.md: `tests/` with `factories.py`).
The demo people (`people` fixture) cover one person per role; these make another one. Role rows
are written through the ORM, so `RoleAssignment.save` seals them as the services do (ADR 0012)."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.organisations.tests.factories import OrganisationFactory


class UserFactory(DjangoModelFactory[User]):
    """A staff member with a confirmed second factor (what every staff page asks for)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker-{n}")
    first_name = "Proef"
    last_name = factory.Sequence(lambda n: f"Persoon {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@integriteit.example")

    @factory.post_generation
    def second_factor(user: User, create: bool, confirmed: bool | None, **kwargs) -> None:
        """`second_factor=False` leaves the account without a confirmed device."""
        if create and confirmed is not False:
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)


class RoleAssignmentFactory(DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.EMPLOYEE
    unit = None
