"""Writes of the integrity risk analysis (issue 12 §1). Each is one transaction with its audit
record; each checks the writer against `access_analyses` (the organisation's coordinators) and
raises PermissionDenied otherwise (the views answer 404). The audit records name objects by id
and never hold the texts of risks or measures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Organisation, Unit

from . import access_analyses as access
from . import matrices
from .constants_analyses import AcceptanceStatus, AnalysisStatus, MeasureStatus, ScoreKind
from .models import (
    Acceptance,
    Analysis,
    Measure,
    Process,
    Review,
    Risk,
    Score,
    Snapshot,
)
from .selectors_analyses import current_scores, governing_score, snapshot_data


class Refused(ValueError):
    """A write that cannot be done as asked; the message says why (shown on the page)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _editable(user, analysis: Analysis) -> Analysis:
    if not access.may_edit(user, analysis):
        raise PermissionDenied
    return analysis


def _audit(user, action: str, object_type: str, object_id, detail: dict | None = None) -> None:
    record(Actor.of(user), f"prevention.{action}", object_type, object_id, detail or {})


# --- Analyses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisValues:
    title: str
    year: int
    analysed_on: datetime.date
    object_kind: str
    object_description: str = ""
    unit: Unit | None = None
    status: str = AnalysisStatus.DRAFT


def create_analysis(user, organisation: Organisation, values: AnalysisValues) -> Analysis:
    if not access.organisations_to_analyse(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if values.unit is not None and values.unit.organisation_id != organisation.pk:
        raise Refused(_("The unit is not part of this organisation."), "unit")
    with transaction.atomic():
        analysis = Analysis.objects.create(
            organisation=organisation,
            matrix=matrices.matrix_for(organisation),
            created_by=user,
            **values.__dict__,
        )
        _audit(user, "analysis_created", "risk_analysis", analysis.pk, {"year": analysis.year})
    return analysis


def update_analysis(user, analysis: Analysis, values: AnalysisValues) -> Analysis:
    _editable(user, analysis)
    if values.unit is not None and values.unit.organisation_id != analysis.organisation_id:
        raise Refused(_("The unit is not part of this organisation."), "unit")
    with transaction.atomic():
        analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
        for name, value in values.__dict__.items():
            setattr(analysis, name, value)
        analysis.save()
        _audit(user, "analysis_changed", "risk_analysis", analysis.pk, {"status": analysis.status})
    return analysis


# --- Processes and risks ---------------------------------------------------------------------

PROCESS_FIELDS = (
    "name",
    "area",
    "description",
    "activities",
    "properties",
    "complexity",
    "change",
    "management",
    "personnel",
    "history",
)
RISK_FIELDS = ("title", "description", "owner", "source")


def save_process(user, analysis: Analysis, values: dict, process: Process | None = None) -> Process:
    _editable(user, analysis)
    if process is not None and process.analysis_id != analysis.pk:
        raise PermissionDenied
    with transaction.atomic():
        process = process or Process(analysis=analysis)
        for name in PROCESS_FIELDS:
            if name in values:
                setattr(process, name, values[name])
        created = process.pk is None
        process.save()
        _audit(
            user,
            "process_added" if created else "process_changed",
            "risk_process",
            process.pk,
            {"analysis": analysis.pk, "vulnerable": process.is_vulnerable},
        )
    return process


def save_risk(user, process: Process, values: dict, risk: Risk | None = None) -> Risk:
    _editable(user, process.analysis)
    if risk is not None and risk.process.analysis_id != process.analysis_id:
        raise PermissionDenied
    with transaction.atomic():
        risk = risk or Risk()
        risk.process = process
        for name in RISK_FIELDS:
            if name in values:
                setattr(risk, name, values[name])
        created = risk.pk is None
        risk.save()
        _audit(
            user,
            "risk_added" if created else "risk_changed",
            "risk",
            risk.pk,
            {"analysis": process.analysis_id, "process": process.pk},
        )
    return risk


# --- Scores ----------------------------------------------------------------------------------


def _set_review_date(risk: Risk) -> None:
    """The next review from the interval of the level that governs the risk now."""
    score = governing_score(risk)
    if score is not None:
        risk.review_on = score.scored_on + datetime.timedelta(days=score.review_days)
        risk.save(update_fields=["review_on"])


def score_risk(
    user, risk: Risk, kind: str, likelihood: int, impact: int, *, on: datetime.date | None = None
) -> Score:
    """Score `risk` before (inherent) or after measures (residual) on its analysis's matrix.
    The level is looked up in the grid and stored with the version and the steps; a step
    outside the matrix is refused (OutsideMatrix, nothing written). A residual score credits
    the measures in place now."""
    analysis = _editable(user, risk.process.analysis)
    if kind not in ScoreKind.values:
        raise Refused(_("Choose whether the score is before or after measures."), "kind")
    on = on or timezone.localdate()
    with transaction.atomic():
        found = matrices.lookup(analysis.matrix, likelihood, impact)
        level = found.level
        score = Score.objects.create(
            risk=risk,
            kind=kind,
            matrix=analysis.matrix,
            matrix_name=analysis.matrix.name,
            matrix_version=analysis.matrix.version,
            likelihood=likelihood,
            impact=impact,
            likelihood_label=found.likelihood_label,
            impact_label=found.impact_label,
            level_code=level.code,
            level_name=level.name,
            level_rank=level.rank,
            treatment=level.treatment,
            review_days=level.review_days,
            scored_on=on,
            scored_by=user,
        )
        if kind == ScoreKind.RESIDUAL:
            score.credited.set(risk.measures.filter(status=MeasureStatus.IN_PLACE))
        _set_review_date(risk)
        _audit(
            user,
            "risk_scored",
            "risk",
            risk.pk,
            {
                "kind": kind,
                "matrix": analysis.matrix_id,
                "version": analysis.matrix.version,
                "likelihood": likelihood,
                "impact": impact,
                "level": level.code,
            },
        )
    return score


# --- Measures --------------------------------------------------------------------------------

MEASURE_FIELDS = ("kind", "description", "status", "owner", "due_on")


def save_measure(
    user, analysis: Analysis, values: dict, risks, measure: Measure | None = None
) -> Measure:
    """A measure and the risks it serves (risks of this analysis only). Retiring a measure
    takes its credit away: a residual score that counted it no longer holds (selectors)."""
    _editable(user, analysis)
    if measure is not None and measure.analysis_id != analysis.pk:
        raise PermissionDenied
    risks = list(risks)
    if any(risk.process.analysis_id != analysis.pk for risk in risks):
        raise PermissionDenied
    with transaction.atomic():
        measure = measure or Measure(analysis=analysis)
        for name in MEASURE_FIELDS:
            if name in values:
                setattr(measure, name, values[name])
        created = measure.pk is None
        measure.save()
        measure.risks.set(risks)
        for risk in risks:
            _set_review_date(risk)
        _audit(
            user,
            "measure_added" if created else "measure_changed",
            "risk_measure",
            measure.pk,
            {"analysis": analysis.pk, "status": measure.status, "risks": [r.pk for r in risks]},
        )
    return measure


# --- Acceptance and review -------------------------------------------------------------------


def accept_risk(
    user, risk: Risk, *, decided_by: str, reason: str, until: datetime.date
) -> Acceptance:
    """A remaining risk accepted explicitly; `until` must lie in the future. When it comes the
    risk is due for review again (reminders_analyses)."""
    _editable(user, risk.process.analysis)
    if until <= timezone.localdate():
        raise Refused(_("The review date must lie in the future."), "until")
    if not decided_by.strip() or not reason.strip():
        raise Refused(_("Say who decided and why."), "reason")
    score = governing_score(risk)
    with transaction.atomic():
        risk.acceptances.filter(status=AcceptanceStatus.ACTIVE).update(
            status=AcceptanceStatus.ENDED, ended_at=timezone.now()
        )
        acceptance = Acceptance.objects.create(
            risk=risk,
            decided_by=decided_by.strip(),
            reason=reason.strip(),
            until=until,
            level_code=score.level_code if score else "",
            level_name=score.level_name if score else "",
            recorded_by=user,
        )
        _audit(
            user,
            "risk_accepted",
            "risk",
            risk.pk,
            {"acceptance": acceptance.pk, "until": until, "level": acceptance.level_code},
        )
    return acceptance


def review_risk(
    user, risk: Risk, *, note: str, next_review_on: datetime.date | None = None
) -> Review:
    """A review of the risk. Acceptances whose date has come end with it (they came back for
    review). The next review is the level's interval from today unless a date is given, which
    must lie in the future."""
    _editable(user, risk.process.analysis)
    today = timezone.localdate()
    if next_review_on is not None and next_review_on <= today:
        raise Refused(_("The review date must lie in the future."), "next_review_on")
    if next_review_on is None:
        score = governing_score(risk)
        days = score.review_days if score else 365
        next_review_on = today + datetime.timedelta(days=days)
    with transaction.atomic():
        review = Review.objects.create(
            risk=risk, reviewed_on=today, note=note, next_review_on=next_review_on, reviewed_by=user
        )
        risk.acceptances.filter(status=AcceptanceStatus.ACTIVE, until__lte=today).update(
            status=AcceptanceStatus.ENDED, ended_at=timezone.now()
        )
        risk.review_on = next_review_on
        risk.save(update_fields=["review_on"])
        _audit(user, "risk_reviewed", "risk", risk.pk, {"next_review_on": next_review_on})
    return review


# --- Snapshots and next year -----------------------------------------------------------------


def take_snapshot(user, analysis: Analysis, label: str) -> Snapshot:
    """A frozen copy of the analysis as it is now."""
    _editable(user, analysis)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            analysis=analysis,
            label=label.strip() or str(analysis.year),
            taken_by=user,
            data=snapshot_data(analysis),
        )
        _audit(user, "snapshot_taken", "risk_analysis", analysis.pk, {"snapshot": snapshot.pk})
    return snapshot


def _copy_score(score: Score, risk: Risk) -> Score:
    return Score.objects.create(
        risk=risk,
        **{
            name: getattr(score, name)
            for name in (
                "kind",
                "matrix_id",
                "matrix_name",
                "matrix_version",
                "likelihood",
                "impact",
                "likelihood_label",
                "impact_label",
                "level_code",
                "level_name",
                "level_rank",
                "treatment",
                "review_days",
                "scored_on",
                "scored_by_id",
                "created_at",
            )
        },
    )


def start_from_previous(
    user, previous: Analysis, *, year: int, analysed_on: datetime.date | None = None
) -> Analysis:
    """Next year's analysis, starting from `previous`: its processes, risks with their current
    scores (as last year's starting point, on last year's grid), and its measures that were not
    retired, each linked to what it was copied from. Acceptances are not copied: they are
    decided again. The new analysis uses the organisation's matrix of now."""
    _editable(user, previous)
    if year <= previous.year:
        raise Refused(_("The new analysis must be of a later year."), "year")
    with transaction.atomic():
        analysis = Analysis.objects.create(
            organisation=previous.organisation,
            unit=previous.unit,
            title=previous.title,
            year=year,
            object_kind=previous.object_kind,
            object_description=previous.object_description,
            analysed_on=analysed_on or timezone.localdate(),
            matrix=matrices.matrix_for(previous.organisation),
            previous=previous,
            created_by=user,
        )
        risks: dict[int, Risk] = {}
        for process in previous.processes.all():
            process_copy = Process.objects.create(
                analysis=analysis,
                copied_from=process,
                **{name: getattr(process, name) for name in PROCESS_FIELDS},
            )
            for risk in process.risks.all():
                risks[risk.pk] = Risk.objects.create(
                    process=process_copy,
                    copied_from=risk,
                    review_on=risk.review_on,
                    **{name: getattr(risk, name) for name in RISK_FIELDS},
                )
                for score in current_scores(risk).values():
                    if score is not None:
                        _copy_score(score, risks[risk.pk])
        for measure in previous.measures.exclude(status=MeasureStatus.RETIRED):
            copy = Measure.objects.create(
                analysis=analysis,
                copied_from=measure,
                **{name: getattr(measure, name) for name in MEASURE_FIELDS},
            )
            copy.risks.set([risks[risk.pk] for risk in measure.risks.all() if risk.pk in risks])
        _audit(
            user,
            "analysis_started_from_previous",
            "risk_analysis",
            analysis.pk,
            {"previous": previous.pk, "year": year},
        )
    return analysis
