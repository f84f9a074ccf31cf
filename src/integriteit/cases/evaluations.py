"""The reporters' evaluations, aggregated per organisation (seed 002: the process is evaluated
with the reporter, so that it can be judged whether it works).

Every number goes through the one suppression of `integriteit.figures` (ADR 0016): the counts
of invited and answered evaluations under `settings.FIGURES_MIN_CELL` are suppressed, and the
averages and the share are shown only for a group of at least that many answers, so that no
reporter can be recognised by their answers. The chart and the CSV and XLSX come from the same
module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from integriteit.cases.access import organisations_for_process_evaluation
from integriteit.figures.charts import Bar, BarChart, bar_chart
from integriteit.figures.suppression import Cell, group_shown, min_cell
from integriteit.figures.tables import build_table, exported
from integriteit.organisations.models import Organisation

from .models import Evaluation


@dataclass
class EvaluationFigures:
    organisation: Organisation
    invited: Cell
    answered: Cell
    threshold: int
    felt_safe: float | None = None
    kept_informed: float | None = None
    taken_seriously: float | None = None
    would_report_again: float | None = None  # share, 0..1

    @property
    def suppressed(self) -> bool:
        """Answers exist, but too few to show what they say."""
        return self.answered.value > 0 and not group_shown(self.answered.value, self.threshold)

    @property
    def invited_display(self) -> str:
        return self.invited.display(self.threshold)

    @property
    def answered_display(self) -> str:
        return self.answered.display(self.threshold)


@dataclass
class ProcessEvaluation:
    threshold: int
    rows: list[EvaluationFigures] = field(default_factory=list)

    def charts(self) -> list[BarChart]:
        return [
            bar_chart(
                "would-report-again",
                _("Would report again, per organisation"),
                _("Would report again"),
                [_again_bar(row) for row in self.rows],
            )
        ]

    def export_rows(self) -> list[list[str | int | float | None]]:
        rows: list[list[str | int | float | None]] = [
            [_("Answers of fewer than"), self.threshold, _("evaluations are not shown")],
            [
                _("Organisation"),
                _("Invited"),
                _("Answered"),
                _("Felt safe"),
                _("Kept informed"),
                _("Taken seriously"),
                _("Would report again"),
            ],
        ]
        for row in self.rows:
            rows.append(
                [
                    row.organisation.name,
                    exported(row.invited, self.threshold),
                    exported(row.answered, self.threshold),
                    _rounded(row.felt_safe),
                    _rounded(row.kept_informed),
                    _rounded(row.taken_seriously),
                    _rounded(row.would_report_again, 2),
                ]
            )
        return rows


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _again_bar(row: EvaluationFigures) -> Bar:
    if row.would_report_again is not None:
        percentage = round(100 * row.would_report_again)
        return Bar(row.organisation.name, percentage, f"{percentage}%")
    if row.suppressed:
        return Bar(row.organisation.name, None, _("Too few answers to show"))
    return Bar(row.organisation.name, None, _("No answers yet"))


def _aggregates(organisations, year: int | None) -> dict[int, Mapping[str, Any]]:
    evaluations = Evaluation.objects.filter(report__organisation__in=organisations)
    if year is not None:
        evaluations = evaluations.filter(invited_at__year=year)
    answered = Q(answered_at__isnull=False)
    return {
        row["report__organisation"]: row
        for row in evaluations.values("report__organisation").annotate(
            invited=Count("pk"),
            answered=Count("pk", filter=answered),
            felt_safe=Avg("felt_safe", filter=answered),
            kept_informed=Avg("kept_informed", filter=answered),
            taken_seriously=Avg("taken_seriously", filter=answered),
            again=Count("pk", filter=answered & Q(would_report_again=True)),
        )
    }


def figures_for(user, year: int | None = None) -> ProcessEvaluation:
    organisations = list(organisations_for_process_evaluation(user).order_by("name"))
    aggregates = _aggregates(organisations, year)
    threshold = min_cell()
    empty: Mapping[str, Any] = {"invited": 0, "answered": 0}
    found = [aggregates.get(o.pk, empty) for o in organisations]
    # Invited and answered are not parts of a whole: no totals, so primary suppression only.
    counts = build_table(
        "evaluations",
        _("Evaluations per organisation"),
        [_("Invited"), _("Answered")],
        [
            (str(o.pk), o.name, [f["invited"], f["answered"]])
            for o, f in zip(organisations, found, strict=True)
        ],
        row_totals=False,
        column_totals=False,
        threshold=threshold,
    )
    result = ProcessEvaluation(threshold)
    for organisation, aggregate, row in zip(organisations, found, counts.rows, strict=True):
        figures = EvaluationFigures(organisation, row.cells[0], row.cells[1], threshold)
        if aggregate["answered"] and group_shown(aggregate["answered"], threshold):
            figures.felt_safe = aggregate["felt_safe"]
            figures.kept_informed = aggregate["kept_informed"]
            figures.taken_seriously = aggregate["taken_seriously"]
            figures.would_report_again = aggregate["again"] / aggregate["answered"]
        result.rows.append(figures)
    return result
