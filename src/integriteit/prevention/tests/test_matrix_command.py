"""A new matrix version for an organisation (manage.py new_risk_matrix_version): the changes
land in the new version only; bad arguments are refused and write nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from integriteit.organisations.models import Organisation
from integriteit.prevention import matrices
from integriteit.prevention.models import RiskMatrix

pytestmark = pytest.mark.django_db


def test_a_new_version_with_changed_cells_and_intervals(people):
    out = io.StringIO()
    call_command(
        "new_risk_matrix_version",
        "bzk",
        "--cell",
        "1,5=very_high",
        "--review-days",
        "high=60",
        stdout=out,
    )
    bzk = Organisation.objects.get(slug="bzk")
    matrix = matrices.matrix_for(bzk)
    assert matrix.version == 2 and "v2" in out.getvalue()
    assert matrices.lookup(matrix, 1, 5).level.code == "very_high"
    assert matrix.levels.get(code="high").review_days == 60
    default = RiskMatrix.objects.get(organisation__isnull=True)
    assert matrices.lookup(default, 1, 5).level.code == "medium"
    call_command("new_risk_matrix_version", "bzk", stdout=out)
    assert matrices.matrix_for(bzk).version == 3
    assert matrices.matrix_for(Organisation.objects.get(slug="fin")) == default


@pytest.mark.parametrize(
    "arguments",
    [
        ["nowhere"],
        ["bzk", "--cell", "6,1=high"],
        ["bzk", "--cell", "1,1=extreme"],
        ["bzk", "--cell", "a=high"],
        ["bzk", "--review-days", "high=-3"],
        ["bzk", "--treatment", "high"],
    ],
)
def test_bad_arguments_are_refused(people, arguments):
    with pytest.raises(CommandError):
        call_command("new_risk_matrix_version", *arguments, stdout=io.StringIO())
    assert RiskMatrix.objects.count() == 1
