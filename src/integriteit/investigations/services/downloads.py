"""Every download of the investigation file is audited (SYSTEM.md "Audit": reads too)."""

from django.db import transaction

from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record

from ..models import InvestigationDocument, ReportVersion
from ..selectors import downloads_as_subject
from .roles import cooperating


@transaction.atomic
def record_report_download(user: User, version: ReportVersion, name: str) -> None:
    # The subject's download is audited by role and tag, not by account (ADR 0013).
    actor, by = (
        cooperating(user, "subject")
        if downloads_as_subject(user, version)
        else (Actor.of(user), {})
    )
    record(
        actor,
        "investigation.report_downloaded",
        "report",
        version.investigation.report_id,
        {"investigation": version.investigation_id, "version": version.pk, "format": name, **by},
    )


@transaction.atomic
def record_document_download(user: User, document: InvestigationDocument) -> None:
    record(
        Actor.of(user),
        "investigation.document_downloaded",
        "report",
        document.investigation.report_id,
        {"investigation": document.investigation_id, "document": document.pk},
    )
