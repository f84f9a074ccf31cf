"""Shared set-up of the declaration tests: BZK's designated function held by the demo employee,
and declarations made through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.accounts.tests.factories import UserFactory
from integriteit.cases.tests.flow import verified
from integriteit.organisations.models import Organisation, Unit
from integriteit.prevention import declarations as services
from integriteit.prevention.models import DesignatedFunction, SideActivity


def bzk() -> Organisation:
    return Organisation.objects.get(slug="bzk")


def designated(people, *, publish=True, financial=True, holder="employee", name="Inkoper"):
    coordinator = verified(people["coordinator"])
    function = services.add_function(coordinator, bzk(), name, publish, financial)
    if holder:
        services.assign_function(
            coordinator,
            function,
            people[holder],
            timezone.localdate() - datetime.timedelta(days=30),
        )
    return function


def entry(
    function: DesignatedFunction | None = None, *, paid=True, ends_on=None, days_ago=10, **kwargs
) -> services.DeclarationInput:
    return services.DeclarationInput(
        description=kwargs.get("description", "Docent inkooprecht"),
        employer=kwargs.get("employer", "Haagse Hogeschool"),
        paid=paid,
        starts_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        ends_on=ends_on,
        hours_per_month=Decimal("4"),
        function=function,
    )


def declared(people, function=None, *, submit=True, decision=None, who="employee", **kwargs):
    official = verified(people[who])
    declaration = services.save_draft(official, entry(function, **kwargs))
    if submit:
        services.submit(official, declaration)
    if decision:
        services.assess(
            verified(people["manager"]),
            declaration,
            decision,
            "Geen aanbestedingen." if decision == "allowed_with_conditions" else "",
            "Raakt het werk niet.",
        )
    return SideActivity.objects.get(pk=declaration.pk)


def colleague(unit_name="Team Integriteit en Ethiek", organisation="bzk", role=Role.EMPLOYEE):
    """Another staff member in a unit, with a role (a manager leads that unit)."""
    org = Organisation.objects.get(slug=organisation)
    unit = Unit.objects.get(organisation=org, name=unit_name)
    user = UserFactory.create(unit=unit)
    RoleAssignment.objects.create(
        user=user, organisation=org, role=role, unit=unit if role == Role.MANAGER else None
    )
    return User.objects.get(pk=user.pk)
