"""Need to know for confidential advisers, next to them; built on `access.rules` (ADR 0002).

The register of advisers, the conversation log (an adviser's own entries only, never anyone
else's: others see aggregates) and the advisers' annual report (issue 5).
"""

from django.db.models import Q, QuerySet

from integriteit.access.rules import (
    intact_roles,
    is_verified_staff,
    organisation_ids_with_role,
    organisations_with_role,
)
from integriteit.accounts.constants import Role
from integriteit.organisations.models import Organisation

from .models import ConfidentialAdviser, ConversationLogEntry


def organisations_for_adviser_register(user) -> QuerySet[Organisation]:
    """The register of confidential advisers (issue 5 §1): coordinators for their organisation,
    the government-wide coordinator for every organisation."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    roles = intact_roles(user, [Role.BZK_COORDINATOR, Role.COORDINATOR])
    if any(role == Role.BZK_COORDINATOR for _organisation, role in roles):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in={organisation for organisation, _role in roles})


def adviser_records(user) -> QuerySet[ConfidentialAdviser]:
    """The user's ConfidentialAdviser record, as a query (issue 5)."""
    if not is_verified_staff(user):
        return ConfidentialAdviser.objects.none()
    return ConfidentialAdviser.objects.filter(user=user)


def adviser_of(user) -> ConfidentialAdviser | None:
    """The user's ConfidentialAdviser record, or None (issue 5)."""
    return adviser_records(user).first()


def log_entries_of(user) -> QuerySet:
    """The conversation log entries the user may read: only the ones they wrote as a
    confidential adviser (issue 5 §3). No other role, not the coordinator, the competent
    authority, an administrator or an auditor, reads a single entry; they see aggregates."""
    if not is_verified_staff(user):
        return ConversationLogEntry.objects.none()
    return ConversationLogEntry.objects.filter(adviser__user=user)


def annual_report_organisations_to_edit(user) -> QuerySet[Organisation]:
    """The advisers' annual report (issue 5 §5): the confidential advisers of an organisation
    (role or register) create it and write its recommendations."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk__in=organisation_ids_with_role(user, [Role.CONFIDENTIAL_ADVISER]))
        | Q(confidential_advisers__user=user, confidential_advisers__is_active=True)
    ).distinct()


def annual_report_organisations_to_respond(user) -> QuerySet[Organisation]:
    """The competent authority reads the annual report and responds to it."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COMPETENT_AUTHORITY])


def annual_report_organisations_visible_to(user) -> QuerySet[Organisation]:
    """Who sees an organisation's annual report (aggregates with suppression, never an entry):
    its advisers, its competent authority and its integrity coordinators."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk__in=annual_report_organisations_to_edit(user).values("pk"))
        | Q(pk__in=organisation_ids_with_role(user, [Role.COMPETENT_AUTHORITY, Role.COORDINATOR]))
    )
