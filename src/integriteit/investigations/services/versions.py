"""The draft and final report versions and the subject's response to the draft (hoor en
wederhoor, RULES R10, R12)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import is_verified_staff
from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.cases.services import seal_on
from integriteit.cases.signals import waiting_for

from .. import documents
from ..constants import ReportVersionKind, StepRole, StepState
from ..models import Investigation, ReportVersion
from ..selectors import is_subject, latest_version, state_of
from .errors import InvestigationError, StepRefused
from .gatekeeping import record_of
from .interviews import within_term
from .roles import cooperating, require_role


@transaction.atomic
def generate_report(user: User, investigation: Investigation, kind: str) -> ReportVersion:
    code = "draft_report" if kind == ReportVersionKind.DRAFT else "final_report"
    rec = record_of(investigation, code)
    require_role(user, investigation, StepRole.INVESTIGATOR)
    if state_of(rec) != StepState.OPEN:
        raise StepRefused([_("The report is generated in its own step.")])
    version = ReportVersion.objects.create(
        investigation=investigation, kind=kind, generated_by=user
    )
    documents.render_report(version)
    record(
        Actor.of(user),
        f"investigation.{kind}_generated",
        "report",
        investigation.report_id,
        {"version": version.pk},
    )
    return version


@transaction.atomic
def offer_draft(user: User, investigation: Investigation) -> ReportVersion:
    require_role(user, investigation, StepRole.INVESTIGATOR)
    rec = record_of(investigation, "subject_response")
    if state_of(rec) != StepState.OPEN:
        raise StepRefused([_("The draft is offered in the step “Response of the subject”.")])
    draft = latest_version(investigation, ReportVersionKind.DRAFT)
    if draft is None:
        raise InvestigationError(_("Generate the draft report first."))
    draft.offered_to_subject_at = timezone.now()
    draft.response_due = timezone.localdate() + datetime.timedelta(
        days=settings.DRAFT_RESPONSE_DAYS
    )
    draft.save(update_fields=["offered_to_subject_at", "response_due"])
    record(Actor.of(user), "investigation.draft_offered", "report", investigation.report_id)
    # Hoor en wederhoor (RULES R10, R12): the case's handler and competent authority are told
    # the draft waits for the subject's response; no contents, only that it waits.
    waiting = CaseAssignment.objects.filter(
        report_id=investigation.report_id,
        role__in=[CaseRole.HANDLER, CaseRole.COMPETENT_AUTHORITY],
        ended_at__isnull=True,
    ).select_related("user")
    waiting_for.send(
        sender=ReportVersion,
        report=investigation.report,
        people=[assignment.user for assignment in waiting],
        what="draft_response",
    )
    return draft


@transaction.atomic
def respond_to_draft(user: User, draft: ReportVersion, text: str) -> ReportVersion:
    if not is_verified_staff(user) or not is_subject(user, draft.investigation):
        raise PermissionDenied
    if draft.offered_to_subject_at is None or draft.kind != ReportVersionKind.DRAFT:
        raise InvestigationError(_("This draft is not offered to you."))
    if draft.responded_at is not None:
        raise InvestigationError(_("You already responded to this draft."))
    within_term(draft.response_due)
    if not text.strip():
        raise InvestigationError(_("Write your response."))
    draft.responded_at = timezone.now()
    draft.save(update_fields=["responded_at"])
    seal_on(draft, "sealed_subject_response", text)
    actor, by = cooperating(user, "subject")
    record(
        actor,
        "investigation.subject_responded",
        "report",
        draft.investigation.report_id,
        {"version": draft.pk, **by},
    )
    return draft
