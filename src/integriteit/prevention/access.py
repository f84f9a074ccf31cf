"""Need to know for the register of side activities and financial interests (RULES R16), next to
it and built on `access.rules` (ADR 0002).

- A declaration (side activity or financial interest) is seen by the official herself, her
  assessing manager and the integrity coordinators of its organisation; nobody else (a 404).
- The assessing manager is the manager (Role.MANAGER, with the unit they lead) of the nearest
  unit at or above the official's unit that has a manager: a director does not read the
  declarations of a team that has its own manager. A manager never assesses her own.
- Only manager rows whose seal holds count (ADR 0012), as everywhere else.
- The coordinators of an organisation configure its designated functions and record oaths.
- The publication page is public: what it shows is decided by `selectors.published`.
"""

from django.db.models import Q, QuerySet

from integriteit.access.rules import (
    intact_units_led,
    is_staff_member,
    is_verified_staff,
    organisation_ids_with_role,
    organisations_with_role,
)
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.organisations.models import Organisation, Unit

from .models import FinancialInterest, FunctionAssignment, OathRecord, SideActivity


def led_unit_ids(user) -> set[int]:
    """The units the user leads as manager, from role rows whose seal holds (read once per
    request), each a unit of the role's own organisation (a row naming another's unit gives
    none)."""
    if not is_verified_staff(user):
        return set()
    pairs = intact_units_led(user)
    if not pairs:
        return set()
    units = Unit.objects.filter(pk__in=sorted(unit for _organisation, unit in pairs))
    return {
        pk
        for pk, organisation_id in units.values_list("pk", "organisation_id")
        if (organisation_id, pk) in pairs
    }


def assessed_unit_ids(user) -> set[int]:
    """The units whose members' declarations the user assesses: the units she leads and the
    units below them that have no manager of their own (two small queries per organisation)."""
    led = led_unit_ids(user)
    if not led:
        return set()
    organisations = set(Unit.objects.filter(pk__in=led).values_list("organisation_id", flat=True))
    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(organisation__in=organisations).values_list(
        "pk", "parent_id"
    ):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    managed = set(
        RoleAssignment.objects.filter(
            role=Role.MANAGER, unit__organisation__in=organisations
        ).values_list("unit_id", flat=True)
    )
    found, todo = set(), list(led)
    while todo:
        unit = todo.pop()
        if unit in found:
            continue
        found.add(unit)
        todo += [child for child in children.get(unit, []) if child not in managed]
    return found


def coordinated_organisation_ids(user) -> set[int]:
    if not is_verified_staff(user):
        return set()
    return organisation_ids_with_role(user, [Role.COORDINATOR])


def _others(user) -> Q | None:
    """The declarations of others the user reads: as coordinator or as assessing manager."""
    others = Q(pk__in=[])
    coordinated = coordinated_organisation_ids(user)
    if coordinated:
        others |= Q(organisation_id__in=sorted(coordinated))
    assessed = assessed_unit_ids(user)
    if assessed:
        others |= Q(official__unit_id__in=sorted(assessed))
    return others if (coordinated or assessed) else None


def declarations_visible_to(user) -> QuerySet[SideActivity]:
    """The side activities the user may read: her own, and, once submitted (a draft that was
    never submitted is the official's alone), those she assesses and those of the
    organisations she coordinates."""
    if not is_verified_staff(user):
        return SideActivity.objects.none()
    visible = Q(official=user)
    others = _others(user)
    if others is not None:
        visible |= others & Q(submitted_at__isnull=False)
    return SideActivity.objects.filter(visible)


def interests_visible_to(user) -> QuerySet[FinancialInterest]:
    """Financial interests and securities: the same people as the declarations, nobody else."""
    if not is_verified_staff(user):
        return FinancialInterest.objects.none()
    visible = Q(official=user)
    others = _others(user)
    if others is not None:
        visible |= others
    return FinancialInterest.objects.filter(visible)


def declarations_to_assess(user) -> QuerySet[SideActivity]:
    """The submitted declarations of the people whose assessing manager the user is, never her
    own."""
    assessed = assessed_unit_ids(user)
    if not assessed:
        return SideActivity.objects.none()
    return SideActivity.objects.filter(
        official__unit_id__in=sorted(assessed), submitted_at__isnull=False
    ).exclude(official=user)


def may_assess(user, declaration: SideActivity) -> bool:
    return declarations_to_assess(user).filter(pk=declaration.pk).exists()


def is_assessor(user) -> bool:
    """Whether the user leads a unit (the assessment queue opens for her)."""
    return bool(led_unit_ids(user))


def may_declare(user) -> bool:
    """Every staff member declares her own side activities."""
    return is_staff_member(user)


def own_declarations(user) -> QuerySet[SideActivity]:
    if not is_verified_staff(user):
        return SideActivity.objects.none()
    return SideActivity.objects.filter(official=user)


def own_interests(user) -> QuerySet[FinancialInterest]:
    if not is_verified_staff(user):
        return FinancialInterest.objects.none()
    return FinancialInterest.objects.filter(official=user)


def organisations_to_coordinate(user) -> QuerySet[Organisation]:
    """Where the user keeps the register, configures designated functions and records oaths:
    the organisations she is integrity coordinator of (not the government-wide coordinator)."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COORDINATOR])


def assignments_to_manage(user) -> QuerySet[FunctionAssignment]:
    return FunctionAssignment.objects.filter(
        function__organisation_id__in=sorted(coordinated_organisation_ids(user))
    )


def oaths_visible_to(user) -> QuerySet[OathRecord]:
    """Her own oath or affirmation, and those of the organisations she coordinates."""
    if not is_verified_staff(user):
        return OathRecord.objects.none()
    return OathRecord.objects.filter(
        Q(person=user) | Q(organisation_id__in=sorted(coordinated_organisation_ids(user)))
    )


def organisation_of(user) -> Organisation | None:
    """The organisation an official declares in: her unit's, else that of her first role."""
    if user.unit_id is not None:
        return user.unit.organisation
    role = RoleAssignment.objects.filter(user=user).order_by("pk").first()
    return role.organisation if role else None


def staff_member(organisation: Organisation, username: str) -> User | None:
    """A person of the organisation by username (the coordinator's forms look people up, no
    list of all staff is sent to the page)."""
    return (
        User.objects.filter(is_active=True, username=username.strip())
        .filter(Q(unit__organisation=organisation) | Q(roles__organisation=organisation))
        .distinct()
        .first()
    )
