"""What every case service shares: access and guard checks, the row lock, sealing of free text
on case records, and the phase change through the workflow."""

from django.core.exceptions import PermissionDenied

from integriteit.access.rules import Action, can
from integriteit.accounts.models import User
from integriteit.reports.models import Report
from integriteit.reports.sealing import sealer_for
from integriteit.ui.integrity import for_display, unreadable_note

from .. import guards, workflow
from ..guards import CaseAction

TransitionRefused = workflow.TransitionRefused


class CaseError(Exception):
    """A request that cannot be carried out; the message says why in the user's language."""


def _require(user: User, action: Action, report: Report) -> None:
    if not can(user, action, report):
        raise PermissionDenied


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _seal(report: Report, record_name: str, field: str, text: str) -> bytes:
    return sealer_for(report).seal_text(record_name, field, text)


def seal_on(obj, field: str, text: str) -> None:
    """Seal free text on a saved case record, bound to that record and field."""
    setattr(
        obj,
        field,
        _seal(obj.report, f"{obj._meta.model_name}:{obj.pk}", field, text),
    )
    obj.save(update_fields=[field])


def open_on(obj, field: str) -> str:
    blob = getattr(obj, field)
    if not blob:
        return ""
    return sealer_for(obj.report).open_text(f"{obj._meta.model_name}:{obj.pk}", field, bytes(blob))


# For pages: a record that fails its integrity check shows a note and is flagged (ui.integrity).
shown_on = for_display(open_on, unreadable_note)


def _guard(action: CaseAction, report: Report) -> None:
    guards.refuse_unless_allowed(action, report)


def _advance(user: User, report: Report, name: str, reason: str = "") -> None:
    workflow.advance(user, report, name, reason)
