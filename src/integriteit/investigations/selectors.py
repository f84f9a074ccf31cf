"""Reads of investigations: the protocol in force, who acts in which role, the state of each step
and the sealed texts opened for display. The services (writes and guards) and the pages read
through here; nothing here writes."""

import json

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from integriteit.access.rules import Action, can, reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.cases import people
from integriteit.cases import services as case_services
from integriteit.cases.access import holds_role
from integriteit.cases.constants import AssignmentRefusal, CaseRole
from integriteit.cases.models import Subject
from integriteit.organisations.models import Organisation
from integriteit.reports.models import Report
from integriteit.reports.sealing import sealer_for
from integriteit.reports.selectors import report_for

from . import access
from .constants import ReportVersionKind, StepRole, StepState
from .models import (
    Interview,
    Investigation,
    InvestigationDocument,
    InvestigationMember,
    InvestigatorProfile,
    Protocol,
    ProtocolStep,
    ReportVersion,
    StepRecord,
)

# Sealed texts of a case's records, opened under the case's key (ADR 0010).
open_on = case_services.open_on
shown_on = case_services.shown_on


# --- The protocol in force -----------------------------------------------------------------


def baseline() -> Protocol:
    """The BIPO baseline; migration 0002 creates it, so it always exists."""
    return Protocol.objects.filter(organisation=None).latest("version")


def current_protocol(organisation: Organisation) -> Protocol:
    own = Protocol.objects.filter(organisation=organisation).order_by("-version").first()
    return own or baseline()


# --- Who does what -------------------------------------------------------------------------


def is_member(user: User, investigation: Investigation) -> bool:
    return investigation.members.filter(ended_at__isnull=True, user=user).exists()


def acts_as(user: User, investigation: Investigation, role: str) -> bool:
    report = investigation.report
    if role == StepRole.INVESTIGATOR:
        return is_member(user, investigation) and can(user, Action.VIEW, report)
    if role == StepRole.COMPETENT_AUTHORITY:
        return can(user, Action.DECIDE, report)
    return can(user, Action.ASSESS, report)


def is_subject(user: User, investigation: Investigation) -> bool:
    """Whether `user` is a subject of the investigation's case (found by tag, ADR 0013)."""
    own_tag = people.tag_for(Subject, "person", user)
    return investigation.report.subjects.filter(person_tag=own_tag).exists()


def may_view(user: User, investigation: Investigation) -> bool:
    """The investigators (members), the competent authority and the coordinator of the case."""
    return (
        is_member(user, investigation)
        or acts_as(user, investigation, StepRole.COMPETENT_AUTHORITY)
        or acts_as(user, investigation, StepRole.COORDINATOR)
    )


def investigation_for(user: User, investigation_id: int) -> Investigation:
    """The investigation if the user is one of its investigators, its competent authority or
    the coordinator of the case; otherwise 404, like reports (need to know)."""
    found = Investigation.objects.select_related("protocol").filter(pk=investigation_id).first()
    if found is None:
        raise Http404
    found.report = report_for(user, found.report_id, Action.VIEW)
    if not may_view(user, found):
        raise Http404
    return found


def carries_out_investigations(user: User) -> bool:
    """Whether `user` has the page of the investigations she carries out: the investigator
    role (with an empty state when she has none), or an active membership."""
    if holds_role(user, Role.INVESTIGATOR):
        return True
    return InvestigationMember.objects.filter(user=user, ended_at__isnull=True).exists()


def investigations_of(user: User) -> list[Investigation]:
    """The investigations `user` carries out: those where she is an active member (an
    investigator) on a case she may see (access.rules: her organisations' cases and assignments
    whose seal holds, minus any she is excluded from). Open ones first, by time limit."""
    visible = reports_visible_to(user)
    found = (
        Investigation.objects.filter(
            members__user=user, members__ended_at__isnull=True, report__in=visible
        )
        .select_related("report", "protocol")
        .distinct()
        .order_by(F("completed_at").desc(nulls_first=True), "deadline", "pk")
    )
    return [i for i in found if is_member(user, i) and can(user, Action.VIEW, i.report)]


def investigator_refusals(report: Report, person: User) -> list[str]:
    """Why `person` cannot investigate this case (independence check); already being an
    investigator on the case is no reason, commissioning keeps that assignment."""
    codes = case_services.assignment_refusal_codes(report, person, CaseRole.INVESTIGATOR)
    return [str(code.label) for code in codes if code != AssignmentRefusal.ALREADY_ASSIGNED]


def profile_of(person: User) -> InvestigatorProfile | None:
    return InvestigatorProfile.objects.filter(user=person).first()


def oversees_investigator(user: User, person: User) -> bool:
    """Whether `person` is an investigator of an organisation whose workload `user` oversees."""
    return RoleAssignment.objects.filter(
        user=person, role=Role.INVESTIGATOR, organisation__in=access.workload_organisations(user)
    ).exists()


# --- Steps ---------------------------------------------------------------------------------


def state_of(rec: StepRecord) -> str:
    if rec.completed_at:
        return StepState.COMPLETED
    if rec.deviation_approved_at:
        return StepState.DEFERRED
    if rec.opened_at:
        return StepState.OPEN
    return StepState.LOCKED


def records(investigation: Investigation) -> list[StepRecord]:
    return list(investigation.step_records.select_related("step").order_by("step__position"))


def current_record(investigation: Investigation) -> StepRecord | None:
    """The one open step: every earlier step is completed or deferred with approval."""
    for rec in records(investigation):
        if state_of(rec) == StepState.OPEN:
            return rec
    return None


def step_of(investigation: Investigation, code: str) -> ProtocolStep:
    """A step of the investigation's protocol; 404 for a code it does not have."""
    return get_object_or_404(ProtocolStep, protocol=investigation.protocol, code=code)


def interview_in(investigation: Investigation, interview_id: int) -> Interview:
    """An interview of this investigation (404 otherwise), with the investigation as found."""
    interview = get_object_or_404(Interview, pk=interview_id, investigation=investigation)
    interview.investigation = investigation
    return interview


def step_record(investigation: Investigation, code: str) -> StepRecord | None:
    return investigation.step_records.select_related("step").filter(step__code=code).first()


def values_of(rec: StepRecord) -> dict[str, str]:
    if not rec.sealed_values:
        return {}
    sealer = sealer_for(rec.investigation.report)
    return json.loads(sealer.open_text(f"steprecord:{rec.pk}", "values", bytes(rec.sealed_values)))


def latest_version(investigation: Investigation, kind: str) -> ReportVersion | None:
    return investigation.report_versions.filter(kind=kind).order_by("-generated_at").first()


# --- Downloads -----------------------------------------------------------------------------

# The staff who work on the investigation may download its files (not the process guide).
FILE_ROLES = (StepRole.INVESTIGATOR, StepRole.COMPETENT_AUTHORITY, StepRole.COORDINATOR)


def offered_to_subject(version: ReportVersion) -> bool:
    """Whether the subject may read this version: a draft once offered for their response; a
    final report once offered, or once the final-report step is completed (it is then the report
    the competent authority decides on) and it is the latest final version."""
    if version.offered_to_subject_at is not None:
        return True
    if version.kind != ReportVersionKind.FINAL:
        return False
    investigation = version.investigation
    rec = investigation.step_records.filter(step__code="final_report").first()
    if rec is None or rec.completed_at is None:
        return False
    latest = latest_version(investigation, ReportVersionKind.FINAL)
    return latest is not None and latest.pk == version.pk


def downloads_as_subject(user: User, version: ReportVersion) -> bool:
    return is_subject(user, version.investigation) and offered_to_subject(version)


def _works_on(user: User, investigation: Investigation) -> bool:
    try:
        report_for(user, investigation.report_id, Action.VIEW)
    except Http404:
        return False
    return any(acts_as(user, investigation, role) for role in FILE_ROLES)


def may_download(user: User, version: ReportVersion) -> bool:
    """Every version for the staff who work on the investigation; for the subject only the
    versions offered to them (`offered_to_subject`)."""
    return downloads_as_subject(user, version) or _works_on(user, version.investigation)


def downloadable_version(user: User, investigation_id: int, version_id: int) -> ReportVersion:
    """The report version if `user` may download it; 404 otherwise, never 403."""
    version = get_object_or_404(
        ReportVersion.objects.select_related("investigation__report"),
        pk=version_id,
        investigation_id=investigation_id,
    )
    if not may_download(user, version):
        raise Http404
    return version


def downloadable_document(
    user: User, investigation_id: int, document_id: int
) -> InvestigationDocument:
    """A document of the file, for the staff who work on the investigation; 404 otherwise."""
    document = get_object_or_404(
        InvestigationDocument.objects.select_related("investigation__report"),
        pk=document_id,
        investigation_id=investigation_id,
    )
    if not _works_on(user, document.investigation):
        raise Http404
    return document


def document_name(document: InvestigationDocument) -> str:
    sealer = sealer_for(document.investigation.report)
    return sealer.open_text(
        f"investigationdocument:{document.pk}", "name", bytes(document.sealed_name)
    )
