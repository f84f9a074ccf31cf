"""Need to know for the coordinator's position (seed 001 §3.4), built on `access.rules`:
the organisation's integrity coordinators record it; they, its competent authority and its
management read it; the government-wide coordinator (BZK) reads every organisation's, for the
coordinating view of the norms (BZK norm 3). Nobody else."""

from django.db.models import QuerySet

from integriteit.access.rules import intact_roles, is_verified_staff, organisations_with_role
from integriteit.accounts.constants import Role
from integriteit.organisations.models import Organisation


def organisations_to_record_position(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COORDINATOR])


def organisations_to_read_position(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    if intact_roles(user, [Role.BZK_COORDINATOR]):
        return Organisation.objects.all()
    return organisations_with_role(user, [Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER])
