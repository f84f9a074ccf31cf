"""Investigations after the BIPO baseline: every step registered before the next opens (seed 001
§3.5.2, ROSI at Finance; seed 002; RULES R10–R12). Every write, one transaction each, audited;
the reads they rest on are in `investigations.selectors`.

One module per concept; this package re-exports the services so callers import
`investigations.services` as before."""

from .commissioning import commission
from .downloads import record_document_download, record_report_download
from .errors import InvestigationError, StepRefused
from .gatekeeping import (
    approve_deviation,
    complete_step,
    open_investigation_gaps,
    request_deviation,
    step_gaps,
)
from .interviews import (
    approve_record,
    comment_record,
    default_invitation,
    plan_interview,
    record_interview,
)
from .investigators import save_investigator_profile
from .protocol import derive_protocol, protocol_gaps
from .recording import save_values, upload_document
from .retention import remove_personal_data
from .roles import cooperating
from .versions import generate_report, offer_draft, respond_to_draft

__all__ = [
    "InvestigationError",
    "StepRefused",
    "approve_deviation",
    "approve_record",
    "comment_record",
    "commission",
    "complete_step",
    "cooperating",
    "default_invitation",
    "derive_protocol",
    "generate_report",
    "offer_draft",
    "open_investigation_gaps",
    "plan_interview",
    "protocol_gaps",
    "record_document_download",
    "record_interview",
    "record_report_download",
    "remove_personal_data",
    "request_deviation",
    "respond_to_draft",
    "save_investigator_profile",
    "save_values",
    "step_gaps",
    "upload_document",
]
