"""The reporting channel's part of a case's personal data, removed when the case's retention term
has passed (RULES R9; ADR 0008): the reporter's identity, the report's contents, the messages, the
attachments (rows now, files once committed), the exclusions and the receipt code's lookup and
hash. `cases.retention` calls this (a later module uses an earlier one's service); the report's
data key is destroyed there, through the key-holder registry, after every part is removed."""

from django.db import transaction

from .models import Attachment, Report
from .sealing import delete_attachment_file
from .services import remove_exclusions


def count_personal_data(report: Report) -> dict[str, int]:
    """What a removal takes away, per kind of record (nothing of the contents)."""
    return {
        "reporter_identity": int(hasattr(report, "identity")),
        "messages": report.messages.count(),
        "attachments": report.attachments.count(),
        "exclusions": report.exclusions.count(),
    }


def _delete_files(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        delete_attachment_file(attachment)


def remove_personal_data(report: Report) -> dict[str, int]:
    """Remove the report's personal data; runs inside the caller's transaction."""
    removed = count_personal_data(report)
    attachments = list(report.attachments.all())
    report.attachments.all().delete()
    # Files go once the removal is committed; a file left behind by a crash is unreadable
    # anyway, because the report's data key is destroyed in the same transaction.
    transaction.on_commit(lambda: _delete_files(attachments))
    report.messages.all().delete()
    remove_exclusions(report)
    if removed["reporter_identity"]:
        report.identity.delete()
    report.sealed_content = b""
    report.receipt_lookup = None
    report.receipt_hash = ""
    report.save(update_fields=["sealed_content", "receipt_lookup", "receipt_hash"])
    return removed | {"attachment_files": removed["attachments"], "content": 1, "receipt": 1}
