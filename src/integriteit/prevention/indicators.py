"""The figures the system already holds, beside a policy goal (issue 12: "with the figures the
system already holds (registry, adviser annual report, surveys when they exist) beside it"):
one value per year of the policy's period, up to this year.

The registry's counts are the organisation's own, exact (they do not leave it: the policy is
read by its coordinators, competent authority and management only). The advisers' conversations
are shown as the advisers' annual report shows them, small numbers suppressed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from integriteit.advisers import annual
from integriteit.registry import cells

from .models import IntegrityPolicy, SystemFigure

# At most this many years beside a goal: a policy runs four years, sometimes a little longer.
MOST_YEARS = 6

REGISTRY_COUNTS = {
    SystemFigure.REPORTS: lambda c: c["reports"]["total"],
    SystemFigure.INVESTIGATIONS: lambda c: c["investigations"],
    SystemFigure.ESTABLISHED: lambda c: c["established"]["total"],
}
REGISTRY_SHARES = {
    SystemFigure.ACKNOWLEDGED_IN_TIME: "acknowledged_in_time",
    SystemFigure.FED_BACK_IN_TIME: "fed_back_in_time",
}

Shown = list[tuple[int, str]]


def years_of(policy: IntegrityPolicy, today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    last = min(policy.period_end.year, today.year)
    first = max(policy.period_start.year, last - MOST_YEARS + 1)
    return list(range(first, last + 1))


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def figures_of(policy: IntegrityPolicy, today: datetime.date | None = None) -> dict[str, Shown]:
    """{system figure: [(year, as shown)]} for every figure a goal of the policy names."""
    wanted = {goal.system_figure for goal in policy.goals.all() if goal.system_figure}
    years = years_of(policy, today)
    if not wanted or not years:
        return {}
    organisation = policy.organisation
    shown: dict[str, Shown] = {}
    if wanted & (set(REGISTRY_COUNTS) | set(REGISTRY_SHARES)):
        per_year = {year: cells.cells_of(organisation, year) for year in years}
        for figure, count in REGISTRY_COUNTS.items():
            if figure in wanted:
                shown[figure] = [(year, str(count(per_year[year]))) for year in years]
        for figure, key in REGISTRY_SHARES.items():
            if figure in wanted:
                shown[figure] = [
                    (year, _share(per_year[year][key], per_year[year]["reports"]["total"]))
                    for year in years
                ]
    if SystemFigure.ADVISER_CONVERSATIONS in wanted:
        report = annual.figures(organisation, years[-1])
        table = report.table("summary")
        row = table.row("conversations")
        by_year = dict(zip(table.columns, row.cells, strict=False))
        shown[SystemFigure.ADVISER_CONVERSATIONS] = [
            (year, by_year[str(year)].display(table.threshold) if str(year) in by_year else "–")
            for year in years
        ]
    return shown
