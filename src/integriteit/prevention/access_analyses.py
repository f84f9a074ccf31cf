"""Need to know for the integrity risk analyses (issue 12 §6), next to them and built on
`access.rules` (ADR 0002). Every read of an analysis starts here.

- The integrity coordinators of the organisation write its analyses.
- Its management (managers) and its competent authority read them, and change nothing.
- Nobody else sees one, not another organisation's coordinator, not BZK's government-wide
  coordinator, an administrator or an auditor: for them the pages are not there (404).
"""

from django.db.models import QuerySet

from integriteit.access.rules import is_verified_staff, organisation_ids_with_role
from integriteit.accounts.constants import Role
from integriteit.organisations.models import Organisation

from .models import Analysis

WRITING_ROLES = (Role.COORDINATOR,)
READING_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.COMPETENT_AUTHORITY)


def organisations_to_analyse(user) -> QuerySet[Organisation]:
    """Where the user writes risk analyses: as integrity coordinator."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organisation_ids_with_role(user, WRITING_ROLES))


def organisations_with_analyses(user) -> QuerySet[Organisation]:
    """Whose risk analyses the user reads: coordinator, manager or competent authority."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organisation_ids_with_role(user, READING_ROLES))


def analyses_visible_to(user) -> QuerySet[Analysis]:
    if not is_verified_staff(user):
        return Analysis.objects.none()
    ids = sorted(organisation_ids_with_role(user, READING_ROLES))
    return Analysis.objects.filter(organisation_id__in=ids) if ids else Analysis.objects.none()


def analyses_to_edit(user) -> QuerySet[Analysis]:
    if not is_verified_staff(user):
        return Analysis.objects.none()
    ids = sorted(organisation_ids_with_role(user, WRITING_ROLES))
    return Analysis.objects.filter(organisation_id__in=ids) if ids else Analysis.objects.none()


def may_view(user, analysis: Analysis) -> bool:
    return analyses_visible_to(user).filter(pk=analysis.pk).exists()


def may_edit(user, analysis: Analysis) -> bool:
    return analyses_to_edit(user).filter(pk=analysis.pk).exists()


def questionnaires_visible_to(user):
    """The employees' questionnaires of the analyses the user reads (their counts; the texts
    the employees wrote only for those who write the analysis: `may_edit`)."""
    from .models import Questionnaire

    return Questionnaire.objects.filter(analysis__in=analyses_visible_to(user))
