"""Commissioning: the competent authority assigns the investigation; the protocol version in
force is stored with it and the investigators are assigned to the case (seed 002)."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action, can
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.cases import services as case_services
from integriteit.cases.constants import CaseRole
from integriteit.cases.services import seal_on
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from ..models import Investigation, InvestigationMember, StepRecord
from ..selectors import current_protocol, investigator_refusals
from .errors import InvestigationError, StepRefused
from .gatekeeping import open_step


@transaction.atomic
def commission(
    authority: User,
    report: Report,
    *,
    investigators: Sequence[User],
    deadline: datetime.date,
    note: str,
) -> Investigation:
    """The competent authority commissions the investigation; the protocol version of the
    organisation at this moment is stored with it. The written assignment (scope, questions) is
    the protocol's own step."""
    if not can(authority, Action.DECIDE, report):
        raise PermissionDenied
    if report.phase != Phase.INVESTIGATION:
        raise StepRefused([_("An investigation is commissioned in the phase “Investigation”.")])
    if not investigators:
        raise InvestigationError(_("Choose at least one investigator."))
    if deadline <= timezone.localdate():
        raise InvestigationError(_("The overall time limit must be in the future."))
    if report.investigations.filter(completed_at__isnull=True).exists():
        raise StepRefused([_("This case already has an open investigation.")])
    for person in investigators:
        if reasons := investigator_refusals(report, person):
            raise InvestigationError(f"{person}: " + " ".join(reasons))
    protocol = current_protocol(report.organisation)
    investigation = Investigation.objects.create(
        report=report,
        protocol=protocol,
        commissioned_by=authority,
        sealed_assignment=b"",
        deadline=deadline,
    )
    seal_on(investigation, "sealed_assignment", note)
    for index, person in enumerate(investigators):
        InvestigationMember.objects.create(
            investigation=investigation, user=person, is_lead=index == 0
        )
        if not report.assignments.filter(
            user=person, role=CaseRole.INVESTIGATOR, ended_at__isnull=True
        ).exists():
            # Through the case's own service, so the assignment is audited like any other.
            case_services.assign(authority, report, person, CaseRole.INVESTIGATOR)
    steps = list(protocol.steps.all())
    StepRecord.objects.bulk_create([StepRecord(investigation=investigation, step=s) for s in steps])
    open_step(investigation, steps[0])
    record(
        Actor.of(authority),
        "investigation.commissioned",
        "report",
        report.pk,
        {"investigation": investigation.pk, "protocol": f"{protocol.pk}:v{protocol.version}"},
    )
    return investigation
