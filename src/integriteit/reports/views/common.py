from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ..models import Attachment, Report
from ..receipts import code_for, display
from ..sealing import open_attachment_name, read_attachment, sealer_for
from ..selectors import report_with_receipt


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


@dataclass(frozen=True)
class Receipt:
    report: Report
    code: str  # as displayed, in groups of four

    @property
    def groups(self) -> list[str]:
        """The groups of four, for a page that keeps each group on one line."""
        return self.code.split("-")


def held_receipt(held: dict | None) -> Receipt | None:
    """What a receipt page shows, from what the session holds: `{"report": id, "token": ...}`.
    The session keeps the submission token, never the code (ADR 0005); the code is derived
    again here, and shown only when the report was stored with it."""
    if not held:
        return None
    code = code_for(held["token"])
    report = report_with_receipt(held["report"], code)
    return Receipt(report=report, code=display(code)) if report is not None else None


def hold_receipt(report: Report, token: str) -> dict:
    """The session's record of a receipt: enough to derive the code again, nothing more."""
    return {"report": str(report.pk), "token": token}
