from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ..models import Attachment
from ..sealing import open_attachment_name, read_attachment, sealer_for


def attachment_response(attachment: Attachment) -> HttpResponse:
    """A decrypted attachment, always as a download so the browser never renders it."""
    sealer = sealer_for(attachment.report)
    response = HttpResponse(
        read_attachment(attachment, sealer), content_type=attachment.content_type
    )
    name = open_attachment_name(attachment, sealer)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
