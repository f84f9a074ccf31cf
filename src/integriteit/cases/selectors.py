"""Reads of case data for the case page and the work overview; access rules applied first."""

from dataclasses import dataclass

from django.utils import timezone

from integriteit.access.rules import allowed_actions, roles_on
from integriteit.reports.models import Report
from integriteit.reports.selectors import deadlines_of

from . import workflow
from .phases import PHASE_GUIDE, PhaseGuide


@dataclass
class StepOption:
    transition: workflow.Transition
    refusals: list[str]


@dataclass
class CasePage:
    report: Report
    roles: set[str]
    actions: set[str]
    guide: PhaseGuide
    steps: list[StepOption]
    progress: list[tuple[str, str, str]]


def _progress(report: Report) -> list[tuple[str, str, str]]:
    """(label, state, phase values) per step: done, current or to come."""
    current_index = next(
        i
        for i, step in enumerate(workflow.PHASE_ORDER)
        if report.phase in (step if isinstance(step, tuple) else (step,))
    )
    rows = []
    for index, step in enumerate(workflow.PHASE_ORDER):
        phases = step if isinstance(step, tuple) else (step,)
        if isinstance(step, tuple):
            label = (
                str(workflow.P(report.phase).label)
                if report.phase in phases
                else str(workflow.gettext_lazy("Follow-up"))
            )
        else:
            label = str(workflow.P(phases[0]).label)
        state = "done" if index < current_index else "current" if index == current_index else "todo"
        rows.append((label, state, ",".join(phases)))
    return rows


def case_page(user, report: Report) -> CasePage:
    return CasePage(
        report=report,
        roles=roles_on(user, report),
        actions={a.value for a in allowed_actions(user, report)},
        guide=PHASE_GUIDE[report.phase],
        steps=[
            StepOption(t, workflow.refusals(report, t.name)) for t in workflow.available(report)
        ],
        progress=_progress(report),
    )


def deadlines(report: Report):
    return deadlines_of(report, timezone.now())
