"""Reads of the integrity risk analysis (issue 12 §1): every query starts at `access_analyses`;
the register of an analysis loads in a fixed number of queries, whatever its number of risks.

The current score of a kind is a risk's latest. A residual score holds while none of the measures
it credited has been retired since (no credit for retired measures, PREVENTION.md); one that no
longer holds is shown as such, and the risk counts with its inherent score until it is scored
again."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from integriteit.ui.ids import primary_key

from . import access_analyses as access
from .constants_analyses import AcceptanceStatus, MeasureStatus, ScoreKind
from .models import (
    Acceptance,
    Analysis,
    Measure,
    Process,
    Questionnaire,
    Risk,
    Score,
    Snapshot,
    Workshop,
)

# --- One object, through access --------------------------------------------------------------


def _get(queryset: QuerySet, model, value):
    key = primary_key(model, value)
    if key is None:
        raise Http404
    return get_object_or_404(queryset, pk=key)


def analysis_list(user) -> QuerySet[Analysis]:
    return (
        access.analyses_visible_to(user)
        .select_related("organisation", "unit")
        .annotate(process_count=Count("processes", distinct=True))
        .order_by("-year", "organisation__name", "title", "pk")
    )


def analysis_for(user, analysis_id, *, edit: bool = False) -> Analysis:
    analyses = access.analyses_to_edit(user) if edit else access.analyses_visible_to(user)
    return _get(
        analyses.select_related("organisation", "unit", "matrix", "previous"), Analysis, analysis_id
    )


def process_for(user, process_id, *, edit: bool = False) -> Process:
    analyses = access.analyses_to_edit(user) if edit else access.analyses_visible_to(user)
    return _get(
        Process.objects.filter(analysis__in=analyses).select_related("analysis__matrix"),
        Process,
        process_id,
    )


def risk_for(user, risk_id, *, edit: bool = False) -> Risk:
    analyses = access.analyses_to_edit(user) if edit else access.analyses_visible_to(user)
    return _get(
        Risk.objects.filter(process__analysis__in=analyses).select_related(
            "process__analysis__matrix", "process__analysis__organisation"
        ),
        Risk,
        risk_id,
    )


def measure_for(user, measure_id, *, edit: bool = False) -> Measure:
    analyses = access.analyses_to_edit(user) if edit else access.analyses_visible_to(user)
    return _get(
        Measure.objects.filter(analysis__in=analyses).select_related("analysis"),
        Measure,
        measure_id,
    )


def snapshot_for(user, snapshot_id) -> Snapshot:
    return _get(
        Snapshot.objects.filter(analysis__in=access.analyses_visible_to(user)).select_related(
            "analysis", "taken_by"
        ),
        Snapshot,
        snapshot_id,
    )


# --- Scores ----------------------------------------------------------------------------------


def current_scores(risk: Risk) -> dict[str, Score | None]:
    """The latest score of each kind (from the prefetched scores when there are)."""
    found: dict[str, Score | None] = {ScoreKind.INHERENT: None, ScoreKind.RESIDUAL: None}
    for score in sorted(risk.scores.all(), key=lambda s: (s.created_at, s.pk), reverse=True):
        if found.get(score.kind) is None:
            found[score.kind] = score
    return found


def residual_holds(score: Score | None) -> bool:
    return score is not None and not any(
        measure.status == MeasureStatus.RETIRED for measure in score.credited.all()
    )


def governing_score(risk: Risk) -> Score | None:
    """The score the risk counts with now: a residual one that holds, else the inherent one."""
    scores = current_scores(risk)
    residual = scores[ScoreKind.RESIDUAL]
    if residual_holds(residual):
        return residual
    return scores[ScoreKind.INHERENT]


# --- The register ----------------------------------------------------------------------------


@dataclass
class RiskRow:
    risk: Risk
    process: Process
    inherent: Score | None
    residual: Score | None
    residual_void: bool  # a credited measure was retired since
    measures: list[Measure]
    acceptance: Acceptance | None
    review_on: datetime.date | None
    review_due: bool
    acceptance_due: bool

    @property
    def after(self) -> Score | None:
        """The score after measures as it counts: a residual that holds, else the inherent."""
        return self.inherent if self.residual_void or self.residual is None else self.residual


def risks_of(analysis: Analysis) -> QuerySet[Risk]:
    return (
        Risk.objects.filter(process__analysis=analysis)
        .select_related("process")
        .prefetch_related(
            Prefetch("scores", Score.objects.prefetch_related("credited")),
            Prefetch("measures", Measure.objects.order_by("kind", "description", "pk")),
            Prefetch(
                "acceptances",
                Acceptance.objects.filter(status=AcceptanceStatus.ACTIVE).order_by("-pk"),
            ),
        )
        .order_by("process__name", "process__pk", "title", "pk")
    )


def register(analysis: Analysis, today: datetime.date | None = None) -> list[RiskRow]:
    today = today or timezone.localdate()
    rows = []
    for risk in risks_of(analysis):
        scores = current_scores(risk)
        residual = scores[ScoreKind.RESIDUAL]
        acceptances = list(risk.acceptances.all())
        acceptance = acceptances[0] if acceptances else None
        rows.append(
            RiskRow(
                risk=risk,
                process=risk.process,
                inherent=scores[ScoreKind.INHERENT],
                residual=residual,
                residual_void=residual is not None and not residual_holds(residual),
                measures=list(risk.measures.all()),
                acceptance=acceptance,
                review_on=risk.review_on,
                review_due=risk.review_on is not None and risk.review_on <= today,
                acceptance_due=acceptance is not None and acceptance.until <= today,
            )
        )
    return rows


def processes_of(analysis: Analysis) -> list[Process]:
    return list(analysis.processes.annotate(risk_count=Count("risks")).order_by("name", "pk"))


def measures_of(analysis: Analysis) -> list[Measure]:
    return list(analysis.measures.prefetch_related("risks").order_by("kind", "description", "pk"))


# --- Heat map --------------------------------------------------------------------------------


@dataclass
class HeatCounts:
    before: Counter = field(default_factory=Counter)  # (likelihood, impact) → risks
    after: Counter = field(default_factory=Counter)
    unscored: int = 0


def heat_counts(rows: list[RiskRow]) -> HeatCounts:
    counts = HeatCounts()
    for row in rows:
        if row.inherent is None:
            counts.unscored += 1
            continue
        counts.before[(row.inherent.likelihood, row.inherent.impact)] += 1
        after = row.after
        if after is not None:
            counts.after[(after.likelihood, after.impact)] += 1
    return counts


# The counts of `heat_counts(register(analysis))` computed by the database (PostgreSQL, and
# SQLite for the tests): the latest score of
# each kind per risk (created_at, then pk, as current_scores); a residual score holds while none
# of the measures it credited is retired (residual_holds); after measures a risk counts with its
# residual score that holds, else its inherent one; a risk without an inherent score is unscored.
HEAT_COUNTS_SQL = """
WITH ranked AS (
    SELECT s.id, s.risk_id, s.kind, s.likelihood, s.impact,
           ROW_NUMBER() OVER (
               PARTITION BY s.risk_id, s.kind ORDER BY s.created_at DESC, s.id DESC
           ) AS n
    FROM prevention_score s
    JOIN prevention_risk r ON r.id = s.risk_id
    JOIN prevention_process p ON p.id = r.process_id
    WHERE p.analysis_id = %(analysis)s
), latest AS (
    SELECT risk_id, kind, likelihood, impact, NOT EXISTS (
        SELECT 1 FROM prevention_score_credited c
        JOIN prevention_measure m ON m.id = c.measure_id
        WHERE c.score_id = ranked.id AND m.status = %(retired)s
    ) AS holds
    FROM ranked WHERE n = 1
), per_risk AS MATERIALIZED (
    SELECT risk_id,
           max(likelihood) FILTER (WHERE kind = %(inherent)s) AS before_l,
           max(impact) FILTER (WHERE kind = %(inherent)s) AS before_i,
           max(likelihood) FILTER (WHERE kind = %(residual)s AND holds) AS residual_l,
           max(impact) FILTER (WHERE kind = %(residual)s AND holds) AS residual_i
    FROM latest GROUP BY risk_id
)
SELECT 'before', before_l, before_i, count(*) FROM per_risk
WHERE before_l IS NOT NULL GROUP BY before_l, before_i
UNION ALL
SELECT 'after', coalesce(residual_l, before_l), coalesce(residual_i, before_i), count(*)
FROM per_risk WHERE before_l IS NOT NULL GROUP BY 2, 3
UNION ALL
SELECT 'unscored', NULL, NULL, (
    SELECT count(*) FROM prevention_risk r JOIN prevention_process p ON p.id = r.process_id
    WHERE p.analysis_id = %(analysis)s
) - (SELECT count(*) FROM per_risk WHERE before_l IS NOT NULL)
"""


def heat_counts_of(analysis: Analysis) -> HeatCounts:
    """`heat_counts(register(analysis))` in one query whatever the number of risks, grouped by
    the database (HEAT_COUNTS_SQL): the heat map page shows only the counts, and reading every
    risk with its scores to count them took 0.7 s at 5,000 risks (bench/prevention.py)."""
    counts = HeatCounts()
    with connection.cursor() as cursor:
        cursor.execute(
            HEAT_COUNTS_SQL,
            {
                "analysis": analysis.pk,
                "inherent": ScoreKind.INHERENT.value,
                "residual": ScoreKind.RESIDUAL.value,
                "retired": MeasureStatus.RETIRED.value,
            },
        )
        for part, likelihood, impact, n in cursor.fetchall():
            if part == "unscored":
                counts.unscored = n
            else:
                getattr(counts, part)[(likelihood, impact)] = n
    return counts


# --- Snapshot and comparison -----------------------------------------------------------------


def _score_data(score: Score | None) -> dict | None:
    if score is None:
        return None
    return {
        "matrix": score.matrix_name,
        "version": score.matrix_version,
        "likelihood": score.likelihood,
        "impact": score.impact,
        "level": score.level_code,
        "level_name": score.level_name,
        "rank": score.level_rank,
        "scored_on": score.scored_on.isoformat(),
    }


def snapshot_data(analysis: Analysis) -> dict:
    """The analysis as plain data: what a snapshot freezes."""
    rows = register(analysis)
    return {
        "analysis": {
            "title": analysis.title,
            "year": analysis.year,
            "status": analysis.status,
            "analysed_on": analysis.analysed_on.isoformat(),
            "matrix": str(analysis.matrix),
        },
        "processes": [
            {
                "id": process.pk,
                "name": process.name,
                "area": process.area,
                "activities": list(process.activities),
                "properties": list(process.properties),
                "factors": {
                    name: getattr(process, name)
                    for name in ("complexity", "change", "management", "personnel", "history")
                },
            }
            for process in analysis.processes.order_by("name", "pk")
        ],
        "risks": [
            {
                "id": row.risk.pk,
                "process": row.process.pk,
                "title": row.risk.title,
                "owner": row.risk.owner,
                "inherent": _score_data(row.inherent),
                "residual": _score_data(row.residual),
                "residual_holds": row.residual is not None and not row.residual_void,
                "measures": [measure.pk for measure in row.measures],
                "acceptance": (
                    {
                        "decided_by": row.acceptance.decided_by,
                        "reason": row.acceptance.reason,
                        "until": row.acceptance.until.isoformat(),
                    }
                    if row.acceptance
                    else None
                ),
                "review_on": row.review_on.isoformat() if row.review_on else None,
            }
            for row in rows
        ],
        "measures": [
            {
                "id": measure.pk,
                "kind": measure.kind,
                "description": measure.description,
                "status": measure.status,
                "owner": measure.owner,
                "due_on": measure.due_on.isoformat() if measure.due_on else None,
            }
            for measure in analysis.measures.order_by("kind", "description", "pk")
        ],
    }


UP, DOWN, SAME, NEW, GONE, UNSCORED = "up", "down", "same", "new", "gone", "unscored"


@dataclass
class Moved:
    title: str
    process: str
    movement: str  # UP, DOWN, SAME, NEW, GONE, UNSCORED
    before: Score | None  # last year's score after measures
    now: Score | None
    risk: Risk | None = None


def _movement(before: Score | None, now: Score | None) -> str:
    if before is None or now is None:
        return UNSCORED
    if now.level_rank > before.level_rank:
        return UP
    if now.level_rank < before.level_rank:
        return DOWN
    return SAME


def comparison(analysis: Analysis) -> list[Moved]:
    """What moved since the previous analysis, per risk: its level after measures then and now
    (by rank, so two matrix versions compare), new risks and risks no longer in the analysis."""
    previous = analysis.previous
    if previous is None:
        return []
    last_year = {row.risk.pk: row for row in register(previous)}
    moved, followed = [], set()
    for row in register(analysis):
        origin = last_year.get(row.risk.copied_from_id) if row.risk.copied_from_id else None
        if origin is None:
            moved.append(Moved(row.risk.title, row.process.name, NEW, None, row.after, row.risk))
            continue
        followed.add(origin.risk.pk)
        moved.append(
            Moved(
                row.risk.title,
                row.process.name,
                _movement(origin.after, row.after),
                origin.after,
                row.after,
                row.risk,
            )
        )
    for pk, row in last_year.items():
        if pk not in followed:
            moved.append(Moved(row.risk.title, row.process.name, GONE, row.after, None))
    return moved


def overdue_measures(analysis: Analysis, today: datetime.date | None = None) -> list[Measure]:
    today = today or timezone.localdate()
    return list(
        analysis.measures.filter(
            due_on__lt=today, status__in=[MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS]
        ).order_by("due_on", "pk")
    )


def questionnaire_for(user, questionnaire_id, *, edit: bool = False):
    """A questionnaire of an analysis the user reads (edit: writes), or 404."""
    questionnaires = access.questionnaires_visible_to(user).select_related(
        "analysis__organisation", "analysis__matrix"
    )
    if edit:
        questionnaires = questionnaires.filter(analysis__in=access.analyses_to_edit(user))
    return _get(questionnaires, Questionnaire, questionnaire_id)


def questionnaires_of(analysis: Analysis) -> list:
    return list(Questionnaire.objects.filter(analysis=analysis))


def workshops_of(analysis: Analysis) -> list:
    return list(Workshop.objects.filter(analysis=analysis))
