"""The unit a report concerns (Report.unit): set by the coordinator or a handler, audited.

It only serves the work overview's filters (issue 3 §7); it is metadata in the clear like the
organisation and the phase, so it names a unit, never a person."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, can
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Unit
from integriteit.reports.models import Report

from .services import CaseError


@transaction.atomic
def set_unit(user: User, report: Report, unit: Unit | None) -> None:
    """Set (or clear, with None) the unit concerned. The unit must belong to the report's
    organisation."""
    if not can(user, Action.CLASSIFY, report):
        raise PermissionDenied
    if unit is not None and unit.organisation_id != report.organisation_id:
        raise CaseError(_("This unit is not part of the organisation of the report."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.unit_id == (unit.pk if unit else None):
        return
    previous = report.unit_id
    report.unit = unit
    report.save(update_fields=["unit"])
    record(
        Actor.of(user),
        "case.unit_set",
        "report",
        report.pk,
        {"from": previous, "to": unit.pk if unit else None},
    )
