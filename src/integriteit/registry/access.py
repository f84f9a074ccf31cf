"""Need to know for the registry and the annual figures (issue 11 §7), next to them and built on
`access.rules` (ADR 0002). Every read of registry data starts here.

- Entries: the integrity coordinators of the organisation, nobody else; not the government-wide
  coordinator, not an administrator or an auditor (auditors read the audit trail).
- Annual returns: the coordinators write and submit their organisation's; the government-wide
  coordinator (BZK) sees, validates, returns and publishes those of every organisation under BZK's
  coordination (`Organisation.outside_bzk_coordination` false). An organisation outside it
  (Defensie, seed 001 note 1) validates and publishes its own, by its competent authority.
- Figures: inside the organisation (its coordinators, competent authority, management) the
  exact cells of its return, and its figures computed live from the entries
  (`organisations_for_own_figures`); for anyone else, BZK included, only suppressed
  (`is_inside`); published figures for every member of staff.
"""

from django.db.models import Q, QuerySet

from integriteit.access.rules import intact_roles, is_verified_staff, organisation_ids_with_role
from integriteit.accounts.constants import Role
from integriteit.organisations.models import Organisation

from .models import Entry


def _organisations(ids) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=ids)


def is_government_wide_coordinator(user) -> bool:
    return is_verified_staff(user) and bool(intact_roles(user, [Role.BZK_COORDINATOR]))


def organisations_for_entries(user) -> QuerySet[Organisation]:
    """Whose registry the user keeps: the organisations where she is integrity coordinator."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return _organisations(organisation_ids_with_role(user, [Role.COORDINATOR]))


def entries_visible_to(user) -> QuerySet[Entry]:
    return Entry.objects.filter(organisation__in=organisations_for_entries(user))


def organisations_for_returns(user) -> QuerySet[Organisation]:
    """Whose annual returns the user sees: her own organisation's as coordinator or competent
    authority; every organisation under BZK's coordination as government-wide coordinator."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    own = organisation_ids_with_role(user, [Role.COORDINATOR, Role.COMPETENT_AUTHORITY])
    if is_government_wide_coordinator(user):
        return Organisation.objects.filter(Q(pk__in=own) | Q(outside_bzk_coordination=False))
    return _organisations(own)


def organisations_to_submit(user) -> QuerySet[Organisation]:
    return organisations_for_entries(user)


def organisations_to_validate(user) -> QuerySet[Organisation]:
    """Who validates, returns and publishes a submitted return: BZK for the organisations under
    its coordination; the organisation's own competent authority for one outside it."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    own_outside = Q(
        pk__in=organisation_ids_with_role(user, [Role.COMPETENT_AUTHORITY]),
        outside_bzk_coordination=True,
    )
    if is_government_wide_coordinator(user):
        return Organisation.objects.filter(own_outside | Q(outside_bzk_coordination=False))
    return Organisation.objects.filter(own_outside)


# Who works in an organisation's integrity system: its coordinators, competent authority and
# management. For them a figure of the organisation has not left it.
INSIDE_ROLES = (Role.COORDINATOR, Role.COMPETENT_AUTHORITY, Role.MANAGER)


def is_inside(user, organisation: Organisation) -> bool:
    """Whether the user works in the organisation's integrity system (its coordinators,
    competent authority, management): only they see its figures unsuppressed. For anyone
    else, BZK included, a figure has left the organisation (issue 11 §5)."""
    return is_verified_staff(user) and organisation.pk in organisation_ids_with_role(
        user, INSIDE_ROLES
    )


def organisations_for_own_figures(user) -> QuerySet[Organisation]:
    """Whose exact figures the user sees before publication, computed from the entries
    ("Figures of my organisation", own_figures): the organisations she is inside
    (`is_inside`). Never BZK's government-wide coordinator for another organisation, an
    auditor, an adviser or an employee; never an entry."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return _organisations(organisation_ids_with_role(user, INSIDE_ROLES))


def sees_published_figures(user) -> bool:
    return is_verified_staff(user)
