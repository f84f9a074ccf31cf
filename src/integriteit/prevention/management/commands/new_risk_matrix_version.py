"""A new version of an organisation's risk matrix (issue 12 §1: matrices as data, versioned).

The version starts as a copy of the matrix that holds for the organisation now (its own latest,
else the default) with the changes given: cells mapped to another level, other review intervals
or treatment texts per level. Earlier versions, and every score made on them, stay as they
were; analyses created from now on use the new version.

    manage.py new_risk_matrix_version bzk --cell 1,5=very_high --review-days high=60
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from integriteit.audit.services import SYSTEM, record
from integriteit.organisations.models import Organisation

from ... import matrices


def _pairs(values: list[str], option: str) -> dict[str, str]:
    found = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key or not rest:
            raise CommandError(f"{option}: expected KEY=VALUE, not {value!r}")
        found[key.strip()] = rest.strip()
    return found


class Command(BaseCommand):
    help = "Create a new version of an organisation's risk matrix, with changed cells or levels."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation's slug.")
        parser.add_argument(
            "--cell", action="append", default=[], help="LIKELIHOOD,IMPACT=LEVEL_CODE"
        )
        parser.add_argument("--review-days", action="append", default=[], help="LEVEL_CODE=DAYS")
        parser.add_argument("--treatment", action="append", default=[], help="LEVEL_CODE=TEXT")

    def handle(self, *args, organisation, cell, review_days, treatment, **options):
        try:
            target = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist as error:
            raise CommandError(f"No organisation {organisation!r}.") from error
        base = matrices.matrix_for(target)
        codes = set(base.levels.values_list("code", flat=True))
        cells = {}
        for key, code in _pairs(cell, "--cell").items():
            try:
                likelihood, impact = (int(part) for part in key.split(","))
            except ValueError as error:
                raise CommandError(f"--cell: expected LIKELIHOOD,IMPACT, not {key!r}") from error
            if not base.cells.filter(likelihood=likelihood, impact=impact).exists():
                raise CommandError(f"--cell: ({likelihood}, {impact}) is not in {base}.")
            cells[(likelihood, impact)] = code
        days = {}
        for code, value in _pairs(review_days, "--review-days").items():
            if not value.isdigit() or int(value) < 1:
                raise CommandError(f"--review-days: {value!r} is no number of days.")
            days[code] = int(value)
        texts = _pairs(treatment, "--treatment")
        unknown = ({*cells.values(), *days, *texts}) - codes
        if unknown:
            raise CommandError(f"No level {', '.join(sorted(unknown))} in {base}.")
        with transaction.atomic():
            matrix = matrices.derive_matrix(
                base, target, cells=cells, review_days=days, treatments=texts
            )
            record(
                SYSTEM,
                "prevention.matrix_version_created",
                "risk_matrix",
                matrix.pk,
                {"organisation": target.pk, "from": base.pk, "version": matrix.version},
            )
        self.stdout.write(f"Created {matrix} for {target.slug} (from {base}).")
