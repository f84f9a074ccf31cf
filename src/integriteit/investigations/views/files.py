"""Downloads of the generated investigation reports (PDF and editable .docx) and of the documents
of the file.

Staff on the case who work on the investigation (its investigator, the competent authority, the
coordinator) may download every version and document; the subject only the draft and final
versions offered to them. Everyone else gets 404, never 403 (SYSTEM.md "Need to know"). Every
download is audited."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from integriteit.accounts.decorators import staff_required

from .. import documents, selectors, services
from ..storage import read_sealed_file


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _download(request, investigation_id: int, version_id: int, name: str) -> HttpResponse:
    version = selectors.downloadable_version(request.user, investigation_id, version_id)
    try:
        content = read_sealed_file(version, name)
    except FileNotFoundError:
        raise Http404 from None
    services.record_report_download(request.user, version, name)
    return _attachment(content, documents.CONTENT_TYPES[name], documents.file_name(version, name))


@staff_required
def document(request, investigation_id: int, document_id: int) -> HttpResponse:
    """A file of the investigation file, for the staff who work on the investigation."""
    found = selectors.downloadable_document(request.user, investigation_id, document_id)
    try:
        content = read_sealed_file(found)
    except FileNotFoundError:
        raise Http404 from None
    services.record_document_download(request.user, found)
    return _attachment(content, found.content_type, selectors.document_name(found))


@staff_required
def pdf(request, investigation_id: int, version_id: int) -> HttpResponse:
    return _download(request, investigation_id, version_id, "pdf")


@staff_required
def docx(request, investigation_id: int, version_id: int) -> HttpResponse:
    return _download(request, investigation_id, version_id, "docx")
