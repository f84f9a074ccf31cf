"""Scoring through a matrix version (issue 12 "It must show"): the stored level is the grid's,
the score keeps its grid when the matrix changes later, a score outside the matrix is refused
with nothing written, and a retired measure gives no credit."""

import datetime

import pytest

from integriteit.cases.tests.flow import verified
from integriteit.organisations.models import Organisation
from integriteit.prevention import matrices
from integriteit.prevention import selectors_analyses as selectors
from integriteit.prevention import services_analyses as services
from integriteit.prevention.constants_analyses import MeasureKind, MeasureStatus, ScoreKind
from integriteit.prevention.models import MatrixCell, RiskMatrix, Score
from integriteit.testing import ensure_reference_data

from .analyses_helpers import make_analysis, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(people):
    return verified(people["coordinator"])


def test_the_default_matrix_is_reference_data_and_idempotent(people):
    ensure_reference_data()
    ensure_reference_data()
    matrix = RiskMatrix.objects.get(organisation__isnull=True)
    assert matrix.version == 1
    assert matrix.steps.count() == 10
    assert matrix.cells.count() == 25
    assert list(matrix.levels.values_list("review_days", flat=True)) == [360, 180, 90, 30]


def test_a_score_stores_the_level_of_the_grid_and_its_version(coordinator):
    risk = make_risk(coordinator)
    score = services.score_risk(coordinator, risk, ScoreKind.INHERENT, 4, 4)
    assert (score.matrix_version, score.likelihood, score.impact) == (1, 4, 4)
    assert score.level_code == "high"
    assert score.review_days == 90
    risk.refresh_from_db()
    assert risk.review_on == score.scored_on + datetime.timedelta(days=90)


def test_the_level_is_a_grid_lookup_not_a_product(coordinator):
    bzk = Organisation.objects.get(slug="bzk")
    base = RiskMatrix.objects.get(organisation__isnull=True)
    own = matrices.derive_matrix(base, bzk, cells={(1, 5): "very_high"})
    assert matrices.matrix_for(bzk) == own
    risk = make_risk(coordinator)  # a new analysis takes the organisation's own version
    assert risk.process.analysis.matrix == own
    score = services.score_risk(coordinator, risk, ScoreKind.INHERENT, 1, 5)
    assert (score.level_code, score.matrix_version) == ("very_high", 2)


def test_a_stored_score_keeps_its_grid_when_the_matrix_changes(coordinator):
    risk = make_risk(coordinator)
    score = services.score_risk(coordinator, risk, ScoreKind.INHERENT, 2, 2)
    assert score.level_code == "low"
    # A new version for the organisation maps (2, 2) to "high"; even a change in place of the
    # old grid (which no service does) leaves the stored score as it was.
    bzk = Organisation.objects.get(slug="bzk")
    matrices.derive_matrix(score.matrix, bzk, cells={(2, 2): "high"}, review_days={"low": 10})
    cell = MatrixCell.objects.get(matrix=score.matrix, likelihood=2, impact=2)
    cell.level = score.matrix.levels.get(code="very_high")
    cell.save()
    stored = Score.objects.get(pk=score.pk)
    assert (stored.level_code, stored.level_name, stored.review_days) == ("low", "Laag", 360)
    assert stored.matrix_version == 1
    inherent = selectors.register(risk.process.analysis)[0].inherent
    assert inherent is not None and inherent.level_code == "low"


@pytest.mark.parametrize("likelihood, impact", [(0, 3), (6, 3), (3, 9), (-1, 2)])
def test_a_score_outside_the_matrix_is_refused_and_nothing_is_written(
    coordinator, likelihood, impact
):
    risk = make_risk(coordinator)
    with pytest.raises(matrices.OutsideMatrix):
        services.score_risk(coordinator, risk, ScoreKind.INHERENT, likelihood, impact)
    assert not Score.objects.filter(risk=risk).exists()
    risk.refresh_from_db()
    assert risk.review_on is None


def test_only_measures_in_place_give_credit_and_a_retired_one_voids_the_residual(coordinator):
    risk = make_risk(coordinator)
    analysis = risk.process.analysis
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 4, 4)
    in_place = services.save_measure(
        coordinator,
        analysis,
        {"kind": MeasureKind.FOUR_EYES, "description": "Vier ogen", "status": "in_place"},
        [risk],
    )
    planned = services.save_measure(
        coordinator,
        analysis,
        {"kind": MeasureKind.TRAINING, "description": "Training", "status": "planned"},
        [risk],
    )
    residual = services.score_risk(coordinator, risk, ScoreKind.RESIDUAL, 2, 3)
    assert set(residual.credited.all()) == {in_place}
    assert planned not in residual.credited.all()
    row = selectors.register(analysis)[0]
    assert row.after is not None and row.after.level_code == "medium" and not row.residual_void

    services.save_measure(
        coordinator,
        analysis,
        {"status": MeasureStatus.RETIRED},
        [risk],
        in_place,
    )
    row = selectors.register(analysis)[0]
    assert row.residual_void
    assert row.after is not None and row.inherent is not None
    assert row.after.kind == ScoreKind.INHERENT  # no credit for the retired measure
    risk.refresh_from_db()
    assert risk.review_on == row.inherent.scored_on + datetime.timedelta(days=90)


def test_only_the_coordinator_writes(people):
    analysis = make_analysis(people["coordinator"])
    for username in ("manager", "authority", "coordinator-fin", "bzk-coordinator", "admin"):
        with pytest.raises(services.PermissionDenied):
            services.save_process(verified(people[username]), analysis, {"name": "X"})
