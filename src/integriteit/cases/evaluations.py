"""The reporters' evaluations, aggregated per organisation (seed 002: the process is evaluated
with the reporter, so that it can be judged whether it works). Small groups are suppressed so
that no reporter can be recognised by their answers."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, Q

from integriteit.cases.access import organisations_for_process_evaluation
from integriteit.organisations.models import Organisation

from .models import Evaluation


@dataclass
class EvaluationFigures:
    organisation: Organisation
    invited: int
    answered: int
    suppressed: bool
    felt_safe: float | None = None
    kept_informed: float | None = None
    taken_seriously: float | None = None
    would_report_again: float | None = None  # share, 0..1

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def figures_for(user, year: int | None = None) -> list[EvaluationFigures]:
    organisations = organisations_for_process_evaluation(user).order_by("name")
    evaluations = Evaluation.objects.filter(report__organisation__in=organisations)
    if year is not None:
        evaluations = evaluations.filter(invited_at__year=year)
    answered = Q(answered_at__isnull=False)
    rows = {
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
    minimum = settings.EVALUATION_MIN_GROUP
    result = []
    for organisation in organisations:
        row = rows.get(organisation.pk)
        if row is None:
            result.append(EvaluationFigures(organisation, 0, 0, suppressed=False))
            continue
        figures = EvaluationFigures(
            organisation, row["invited"], row["answered"], suppressed=row["answered"] < minimum
        )
        if not figures.suppressed:
            figures.felt_safe = row["felt_safe"]
            figures.kept_informed = row["kept_informed"]
            figures.taken_seriously = row["taken_seriously"]
            figures.would_report_again = row["again"] / row["answered"]
        result.append(figures)
    return result
