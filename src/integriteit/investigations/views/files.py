"""Downloads of the generated investigation reports (PDF and editable .docx).

Staff on the case who work on the investigation (its investigator, the competent authority, the
coordinator) may download every version; the subject only the draft and final versions offered to
them. Everyone else gets 404, never 403 (SYSTEM.md "Need to know"). Every download is audited."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from integriteit.access.rules import Action
from integriteit.accounts.decorators import staff_required
from integriteit.audit.services import Actor, record
from integriteit.reports.sealing import sealer_for
from integriteit.reports.selectors import report_for

from .. import documents, services
from ..constants import StepRole
from ..models import Investigation, InvestigationDocument, ReportVersion
from ..storage import read_sealed_file

STAFF_ROLES = (StepRole.INVESTIGATOR, StepRole.COMPETENT_AUTHORITY, StepRole.COORDINATOR)


def _as_subject(user, version: ReportVersion) -> bool:
    return services.is_subject(user, version.investigation) and documents.offered_to_subject(
        version
    )


def may_download(user, version: ReportVersion) -> bool:
    """Whether `user` may download `version`; raises nothing, so callers decide on 404."""
    investigation = version.investigation
    if _as_subject(user, version):
        return True
    try:
        report_for(user, investigation.report_id, Action.VIEW)
    except Http404:
        return False
    return any(services.acts_as(user, investigation, role) for role in STAFF_ROLES)


def _download(request, investigation_id: int, version_id: int, name: str) -> HttpResponse:
    investigation = get_object_or_404(Investigation, pk=investigation_id)
    version = get_object_or_404(
        ReportVersion.objects.select_related("investigation__report"),
        pk=version_id,
        investigation=investigation,
    )
    if not may_download(request.user, version):
        raise Http404
    try:
        content = read_sealed_file(version, name)
    except FileNotFoundError:
        raise Http404 from None
    # The subject's download is audited by role and tag, not by account (ADR 0013).
    actor, by = (
        services.cooperating(request.user, "subject")
        if _as_subject(request.user, version)
        else (Actor.of(request.user), {})
    )
    record(
        actor,
        "investigation.report_downloaded",
        "report",
        investigation.report_id,
        {"investigation": investigation.pk, "version": version.pk, "format": name, **by},
    )
    response = HttpResponse(content, content_type=documents.CONTENT_TYPES[name])
    response["Content-Disposition"] = content_disposition_header(
        True, documents.file_name(version, name)
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@staff_required
def document(request, investigation_id: int, document_id: int) -> HttpResponse:
    """A file of the investigation file, for the staff who work on the investigation."""
    investigation = get_object_or_404(Investigation, pk=investigation_id)
    found = get_object_or_404(
        InvestigationDocument.objects.select_related("investigation__report"),
        pk=document_id,
        investigation=investigation,
    )
    report_for(request.user, investigation.report_id, Action.VIEW)
    if not any(services.acts_as(request.user, investigation, role) for role in STAFF_ROLES):
        raise Http404
    try:
        content = read_sealed_file(found)
    except FileNotFoundError:
        raise Http404 from None
    record(
        Actor.of(request.user),
        "investigation.document_downloaded",
        "report",
        investigation.report_id,
        {"investigation": investigation.pk, "document": found.pk},
    )
    sealer = sealer_for(investigation.report)
    name = sealer.open_text(f"investigationdocument:{found.pk}", "name", bytes(found.sealed_name))
    response = HttpResponse(content, content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@staff_required
def pdf(request, investigation_id: int, version_id: int) -> HttpResponse:
    return _download(request, investigation_id, version_id, "pdf")


@staff_required
def docx(request, investigation_id: int, version_id: int) -> HttpResponse:
    return _download(request, investigation_id, version_id, "docx")
