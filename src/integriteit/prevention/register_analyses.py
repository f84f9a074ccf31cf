"""What the register of an analysis shows outside its page: the heat maps before and after
measures (through `figures.heatmap`, the project's one chart helper) and the rows of the XLSX
(through `figures.exports`, the one export layer). The management report (PDF, issue 12 §5,
`report_analyses`) takes its heat maps from here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from integriteit.figures.heatmap import HeatMap, heat_map

from . import matrices
from .constants_analyses import Axis, MeasureStatus
from .models import Analysis
from .selectors_analyses import RiskRow, heat_counts, heat_counts_of


def heat_maps(analysis: Analysis, rows: list[RiskRow] | None = None) -> list[HeatMap]:
    """Two grids of the analysis's matrix: the risks by their score before measures, and by
    their score after measures as it counts (a residual that holds, else the inherent). From
    the register's rows when the page has them, else counted by the database."""
    matrix = analysis.matrix
    likelihood = [(s.value, s.label) for s in matrices.steps(matrix, Axis.LIKELIHOOD)]
    impact = [(s.value, s.label) for s in matrices.steps(matrix, Axis.IMPACT)]
    bands = {key: (level.name, level.colour) for key, level in matrices.grid(matrix).items()}
    counts = heat_counts(rows) if rows is not None else heat_counts_of(analysis)
    return [
        heat_map(
            key,
            title,
            _("Likelihood"),
            _("Impact"),
            likelihood,
            impact,
            dict(found),
            bands,
        )
        for key, title, found in (
            ("before", _("Risks before measures"), counts.before),
            ("after", _("Risks after measures"), counts.after),
        )
    ]


def _score_cells(score) -> list:
    if score is None:
        return ["", "", ""]
    return [score.likelihood, score.impact, score.level_name]


def register_rows(rows: list[RiskRow]) -> list[list]:
    """The risk register as a sheet: a header, then one line per risk."""
    lines: list[list] = [
        [
            _("Process"),
            _("Risk"),
            _("Risk owner"),
            _("Likelihood before measures"),
            _("Impact before measures"),
            _("Level before measures"),
            _("Likelihood after measures"),
            _("Impact after measures"),
            _("Level after measures"),
            _("Matrix version"),
            _("Measures"),
            _("Next review"),
            _("Accepted until"),
        ]
    ]
    for row in rows:
        after = row.after
        score = row.inherent or after
        lines.append(
            [
                row.process.name,
                row.risk.title,
                row.risk.owner,
                *_score_cells(row.inherent),
                *_score_cells(after),
                f"{score.matrix_name} v{score.matrix_version}" if score else "",
                "; ".join(
                    f"{m.description} ({m.get_status_display()})"
                    for m in row.measures
                    if m.status != MeasureStatus.RETIRED
                ),
                row.review_on.isoformat() if row.review_on else "",
                row.acceptance.until.isoformat() if row.acceptance else "",
            ]
        )
    return lines
