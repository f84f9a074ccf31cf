"""Need to know for the integrity policy cycle, built on `access.rules`: the organisation's
integrity coordinators write its policy and evaluations; its competent authority and management
read them (issue 12 §6). Nobody else."""

from django.db.models import QuerySet

from integriteit.access.rules import is_verified_staff, organisations_with_role
from integriteit.accounts.constants import Role
from integriteit.organisations.models import Organisation

from .models import IntegrityPolicy


def organisations_to_write_policy(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COORDINATOR])


def organisations_to_read_policy(user) -> QuerySet[Organisation]:
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER])


def policies_visible_to(user) -> QuerySet[IntegrityPolicy]:
    return IntegrityPolicy.objects.filter(organisation__in=organisations_to_read_policy(user))


def may_write(user, policy: IntegrityPolicy) -> bool:
    return organisations_to_write_policy(user).filter(pk=policy.organisation_id).exists()
