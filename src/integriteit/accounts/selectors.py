from django.db.models import QuerySet

from integriteit.organisations.models import Organisation

from .constants import Role
from .models import RoleAssignment, User


def holds_role(user, role: Role, organisation: Organisation | None = None) -> bool:
    if not user.is_authenticated:
        return False
    assignments = RoleAssignment.objects.filter(user=user, role=role)
    if organisation is not None:
        assignments = assignments.filter(organisation=organisation)
    return assignments.exists()


def organisations_where(user, role: Role) -> QuerySet[Organisation]:
    return Organisation.objects.filter(role_assignments__user=user, role_assignments__role=role)


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def staff_of(organisation: Organisation) -> QuerySet[User]:
    """People a reporter may pick as involved: everyone working in the organisation."""
    return (
        User.objects.filter(is_active=True, unit__organisation=organisation)
        .select_related("unit")
        .order_by("last_name", "first_name")
    )


def line_above(person: User) -> QuerySet[User]:
    """The managers of the person's unit and of every unit above it (seed 000 points 1–2)."""
    if person.unit is None:
        return User.objects.none()
    units = person.unit.ancestors_and_self()
    return (
        User.objects.filter(roles__role=Role.MANAGER, roles__unit__in=units)
        .exclude(pk=person.pk)
        .distinct()
    )
