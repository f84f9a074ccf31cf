"""Risk matrices as data (PREVENTION.md): which version holds for an organisation, the grid
lookup, and a new version instead of a change. A version that scored a risk is never edited; the
score keeps what it looked up (models.Score), so a later version changes no stored score."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from integriteit.organisations.models import Organisation

from .constants_analyses import Axis
from .models import MatrixCell, MatrixLevel, MatrixStep, RiskMatrix


class OutsideMatrix(ValueError):
    """A likelihood or impact that is no step of the matrix (the message says which)."""


@dataclass(frozen=True)
class Lookup:
    likelihood_label: str
    impact_label: str
    level: MatrixLevel


def matrix_for(organisation: Organisation) -> RiskMatrix:
    """The organisation's latest own version, else the latest default version."""
    own = RiskMatrix.objects.filter(organisation=organisation).order_by("-version", "-pk").first()
    if own is not None:
        return own
    default = RiskMatrix.objects.filter(organisation__isnull=True).order_by("-version", "-pk")
    found = default.first()
    if found is None:
        raise RiskMatrix.DoesNotExist("no default risk matrix (migration prevention 0002)")
    return found


def steps(matrix: RiskMatrix, axis: str) -> list[MatrixStep]:
    return list(matrix.steps.filter(axis=axis).order_by("value"))


def lookup(matrix: RiskMatrix, likelihood: int, impact: int) -> Lookup:
    """The level of (likelihood, impact) in `matrix`'s grid; OutsideMatrix for a step the
    matrix does not have, or a pair its grid leaves open."""
    labels = dict(
        ((step.axis, step.value), step.label)
        for step in matrix.steps.filter(value__in=[likelihood, impact])
    )
    if (Axis.LIKELIHOOD.value, likelihood) not in labels:
        raise OutsideMatrix(
            _("The likelihood %(value)s is not a step of the matrix %(matrix)s.")
            % {"value": likelihood, "matrix": matrix}
        )
    if (Axis.IMPACT.value, impact) not in labels:
        raise OutsideMatrix(
            _("The impact %(value)s is not a step of the matrix %(matrix)s.")
            % {"value": impact, "matrix": matrix}
        )
    cell = (
        MatrixCell.objects.select_related("level")
        .filter(matrix=matrix, likelihood=likelihood, impact=impact)
        .first()
    )
    if cell is None:
        raise OutsideMatrix(
            _("The matrix %(matrix)s has no level for this likelihood and impact.")
            % {"matrix": matrix}
        )
    return Lookup(
        labels[(Axis.LIKELIHOOD.value, likelihood)], labels[(Axis.IMPACT.value, impact)], cell.level
    )


def grid(matrix: RiskMatrix) -> dict[tuple[int, int], MatrixLevel]:
    return {
        (cell.likelihood, cell.impact): cell.level
        for cell in MatrixCell.objects.filter(matrix=matrix).select_related("level")
    }


def derive_matrix(
    base: RiskMatrix,
    organisation: Organisation,
    *,
    cells: dict[tuple[int, int], str] | None = None,
    review_days: dict[str, int] | None = None,
    treatments: dict[str, str] | None = None,
) -> RiskMatrix:
    """A new version of `base` for `organisation` with some cells mapped to other level codes,
    or other intervals or treatments per level. The base stays as it was."""
    cells, review_days, treatments = cells or {}, review_days or {}, treatments or {}
    with transaction.atomic():
        latest = RiskMatrix.objects.filter(organisation=organisation, name=base.name).aggregate(
            latest=Max("version")
        )["latest"]
        version = max(latest or 0, base.version) + 1
        matrix = RiskMatrix.objects.create(
            organisation=organisation, name=base.name, version=version
        )
        MatrixStep.objects.bulk_create(
            MatrixStep(matrix=matrix, axis=step.axis, value=step.value, label=step.label)
            for step in base.steps.all()
        )
        levels = {}
        for level in base.levels.all():
            levels[level.code] = MatrixLevel.objects.create(
                matrix=matrix,
                code=level.code,
                name=level.name,
                rank=level.rank,
                treatment=treatments.get(level.code, level.treatment),
                review_days=review_days.get(level.code, level.review_days),
                colour=level.colour,
            )
        MatrixCell.objects.bulk_create(
            MatrixCell(
                matrix=matrix,
                likelihood=cell.likelihood,
                impact=cell.impact,
                level=levels[cells.get((cell.likelihood, cell.impact), cell.level.code)],
            )
            for cell in base.cells.select_related("level")
        )
    return matrix
