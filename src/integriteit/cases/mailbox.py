"""The reporter's side of case handling, as panels in the mailbox (reports.mailbox_panels).

Registered in CasesConfig.ready(). Everything here is shown to the reporter: phase texts and
dates only, never staff names (SYSTEM.md "Need to know"; seed 004 §6: interim feedback and
aftercare must reach the reporter).
"""

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from integriteit.deadlines.services import Deadline, feedback_deadline
from integriteit.reports import mailbox_panels
from integriteit.reports.constants import Kind
from integriteit.reports.models import Report

from . import selectors, services
from .models import Evaluation
from .phases import PHASE_GUIDE, PhaseGuide
from .reporter_forms import EvaluationForm


@dataclass
class ReporterView:
    report: Report
    guide: PhaseGuide
    progress: list[tuple[str, str, str]]
    interim_due: datetime | None
    interim_overdue: bool
    final_feedback: Deadline | None


def reporter_view(report: Report) -> ReporterView:
    now = timezone.now()
    interim_due = services.interim_feedback_due(report)
    final = feedback_deadline(report, now) if report.received_at is not None else None
    return ReporterView(
        report=report,
        guide=PHASE_GUIDE[report.phase],
        progress=selectors._progress(report),
        interim_due=interim_due,
        interim_overdue=interim_due is not None and interim_due < now,
        final_feedback=final,
    )


def progress_panel(request, report: Report):
    """ "What happens now": the phase in plain words, the steps, and the next dates."""
    if not report.phase:
        return None
    return render_to_string(
        "cases/reporter/progress_panel.html", {"view": reporter_view(report)}, request=request
    )


def open_evaluation(report: Report) -> Evaluation | None:
    return Evaluation.objects.filter(report=report).first()


def evaluation_panel(request, report: Report, form: EvaluationForm | None = None):
    """The evaluation invitation, once it exists: the form, or thanks once answered."""
    evaluation = open_evaluation(report)
    if evaluation is None:
        return None
    return render_to_string(
        "cases/reporter/evaluation_panel.html",
        {"evaluation": evaluation, "form": form or EvaluationForm()},
        request=request,
    )


def complaint_panel(request, report: Report):
    """Where to go when the reporter is not satisfied with the handling (seed 004 §6)."""
    filed = (
        Report.objects.submitted()
        .filter(concerns_report=report, kind=Kind.HANDLING_COMPLAINT)
        .order_by("received_at")
        .values_list("received_at", flat=True)
    )
    return render_to_string(
        "cases/reporter/complaint_panel.html",
        {
            "report": report,
            "is_complaint": report.kind == Kind.HANDLING_COMPLAINT,
            "complaints_filed": list(filed),
        },
        request=request,
    )


def register_panels() -> None:
    for panel in (progress_panel, evaluation_panel, complaint_panel):
        mailbox_panels.register(panel)
