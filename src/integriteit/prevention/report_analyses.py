"""The management report of a risk analysis (issue 12 §5): one self-contained HTML document in
Dutch, typeset as PDF by `figures.exports` (WeasyPrint, no URL fetched).

It reads as a report for the management: the analysis (organisation, unit, year, date, status,
matrix version), the method in IntoSAINT's steps, the heat maps before and after measures with
their data tables (`register_analyses.heat_maps`, inline SVG), the highest risks after measures,
the measures past their due date, the acceptances that end soon or have ended, the reviews due,
and how many employees gave input. Of the employees' input only counts are shown, and a count of
answers below the questionnaire's smallest group as "<n" (as `questionnaire.results` does);
never what they wrote, nor a workshop's outcome."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation

from integriteit.figures.heatmap import HeatMap
from integriteit.figures.suppression import group_shown

from . import selectors_analyses as selectors
from .constants_analyses import MeasureStatus
from .models import Analysis, Measure, Questionnaire, Workshop
from .register_analyses import heat_maps

TOP_RISKS = 10
ACCEPTANCE_HORIZON_DAYS = 90


@dataclass
class QuestionnaireCount:
    title: str
    invited: int
    answers: str  # the number, or "<n" below the smallest group


@dataclass
class TopRisk:
    row: selectors.RiskRow
    measures: list[Measure]  # not retired


@dataclass
class Report:
    analysis: Analysis
    today: datetime.date
    generated: datetime.datetime
    heat_maps: list[HeatMap]
    risk_count: int
    unscored: int
    top_risks: list[TopRisk]
    overdue_measures: list[Measure]
    acceptances: list[selectors.RiskRow]  # ending within the horizon, or ended
    reviews_due: list[selectors.RiskRow]
    questionnaires: list[QuestionnaireCount] = field(default_factory=list)
    workshops: int = 0
    participants: int = 0
    horizon_days: int = ACCEPTANCE_HORIZON_DAYS

    @property
    def has_input(self) -> bool:
        return bool(self.questionnaires or self.workshops)


def _level_key(row: selectors.RiskRow) -> tuple:
    after, before = row.after, row.inherent
    return (
        -(after.level_rank if after else 0),
        -(before.level_rank if before else 0),
        row.process.name,
        row.risk.title,
        row.risk.pk,
    )


def _current_measures(row: selectors.RiskRow) -> list[Measure]:
    return [m for m in row.measures if m.status != MeasureStatus.RETIRED]


def report(analysis: Analysis, today: datetime.date | None = None) -> Report:
    today = today or timezone.localdate()
    rows = selectors.register(analysis, today)
    scored = [row for row in rows if row.after is not None]
    highest = sorted(scored, key=_level_key)[:TOP_RISKS]
    horizon = today + datetime.timedelta(days=ACCEPTANCE_HORIZON_DAYS)
    questionnaires = Questionnaire.objects.filter(analysis=analysis).annotate(
        answer_count=Count("answers", distinct=True),
        invited_count=Count("invitations", distinct=True),
    )
    workshops = Workshop.objects.filter(analysis=analysis)
    return Report(
        analysis=analysis,
        today=today,
        generated=timezone.localtime(),
        heat_maps=heat_maps(analysis, rows),
        risk_count=len(rows),
        unscored=len(rows) - len(scored),
        top_risks=[TopRisk(row, _current_measures(row)) for row in highest],
        overdue_measures=selectors.overdue_measures(analysis, today),
        acceptances=sorted(
            (row for row in rows if row.acceptance and row.acceptance.until <= horizon),
            key=lambda row: (row.acceptance.until, row.risk.pk),  # type: ignore[union-attr]
        ),
        reviews_due=sorted(
            (row for row in rows if row.review_due),
            key=lambda row: (row.review_on, row.risk.pk),
        ),
        questionnaires=[
            QuestionnaireCount(
                q.title,
                q.invited_count,
                str(q.answer_count)
                if group_shown(q.answer_count, q.min_group)
                else (f"<{q.min_group}" if q.answer_count else "0"),
            )
            for q in questionnaires.order_by("created_at", "pk")
        ],
        workshops=workshops.count(),
        participants=sum(w.participants for w in workshops),
    )


def report_html(analysis: Analysis, today: datetime.date | None = None) -> str:
    """The report as self-contained HTML, in Dutch whatever the reader's language."""
    with translation.override("nl"):
        return render_to_string(
            "prevention/analyses/report_document.html", {"report": report(analysis, today)}
        )
