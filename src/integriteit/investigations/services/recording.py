"""What a step records: its fields (sealed as one JSON document) and the documents of the file
(sealed on disk), only while the step is open or deferred (ADR 0010)."""

import json
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record
from integriteit.reports.attachments import CleanFile
from integriteit.reports.sealing import sealer_for

from ..constants import StepState
from ..models import Investigation, InvestigationDocument, StepRecord
from ..selectors import state_of, values_of
from ..storage import write_sealed_file
from .errors import StepRefused
from .gatekeeping import record_of
from .roles import require_role


@transaction.atomic
def save_values(
    user: User, investigation: Investigation, code: str, values: Mapping[str, str]
) -> StepRecord:
    rec = record_of(investigation, code)
    require_role(user, investigation, rec.step.responsible_role)
    if state_of(rec) not in {StepState.OPEN, StepState.DEFERRED}:
        raise StepRefused([_("Only an open step can be recorded.")])
    allowed = {f["code"] for f in rec.step.required_fields}
    merged = values_of(rec) | {k: v for k, v in values.items() if k in allowed}
    rec.sealed_values = sealer_for(investigation.report).seal_text(
        f"steprecord:{rec.pk}", "values", json.dumps(merged)
    )
    rec.save(update_fields=["sealed_values"])
    record(
        Actor.of(user),
        "investigation.step_recorded",
        "report",
        investigation.report_id,
        {"step": code},
    )
    return rec


@transaction.atomic
def upload_document(
    user: User, investigation: Investigation, code: str, kind: str, clean: CleanFile
) -> InvestigationDocument:
    rec = record_of(investigation, code)
    require_role(user, investigation, rec.step.responsible_role)
    if state_of(rec) not in {StepState.OPEN, StepState.DEFERRED}:
        raise StepRefused([_("Documents are added to an open step.")])
    document = InvestigationDocument.objects.create(
        investigation=investigation,
        step=rec.step,
        kind=kind,
        sealed_name=b"",
        content_type=clean.content_type,
        size=len(clean.content),
        uploaded_by=user,
    )
    write_sealed_file(document, clean.name, clean.content)
    record(
        Actor.of(user),
        "investigation.document_added",
        "report",
        investigation.report_id,
        {"step": code, "kind": kind},
    )
    return document
