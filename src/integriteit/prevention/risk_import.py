"""Importing an existing risk register (an Excel or CSV file) into one risk analysis (issue 12,
"bad input"; docs/prevention-risks.md).

The file is read by the registry's reader (`registry.import_files.read_table`), which refuses a
file that is not a sound spreadsheet (too large, zip bomb, formulas). Here the columns are
recognised by their header (Dutch or English, case, spaces and accents ignored), every row is
checked against the analysis's matrix, and the result is a list of plain rows with their errors:
the dry run. Nothing is written until `import_rows`, which writes the valid rows through the
services (`save_process`, `save_risk`, `score_risk`) in one transaction with one audit record of
the import. The file itself is never kept; the parsed rows live in the session until the import
or its cancellation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.registry.import_files import ImportRefused, read_table

from . import access_analyses as access
from . import matrices
from . import services_analyses as services
from .constants_analyses import Axis, RiskSource, ScoreKind
from .models import Analysis, Process

__all__ = ["ImportRefused", "Parsed", "import_rows", "read_register"]

# An import writes each row through the services (about a dozen queries a row, all in the
# request): 1,000 rows take some seconds, far more than a risk register usually holds.
MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
MAX_NAME = 200  # Process.name, Risk.title, Risk.owner

# The fields of a row and the headers that name them (normalised: see `_key`). The headers of
# the analysis's own export (risicoregister.xlsx) are among them, in Dutch and English.
HEADERS: dict[str, tuple[str, ...]] = {
    "process": ("process", "proces", "procesnaam", "processname", "bedrijfsproces"),
    "title": (
        "risk",
        "risktitle",
        "title",
        "risico",
        "risicotitel",
        "titel",
        "naamrisico",
        "risiconaam",
    ),
    "description": (
        "description",
        "riskdescription",
        "omschrijving",
        "beschrijving",
        "risicoomschrijving",
        "toelichting",
    ),
    "owner": ("owner", "riskowner", "eigenaar", "risicoeigenaar"),
    "inherent_likelihood": (
        "likelihoodbefore",
        "likelihoodbeforemeasures",
        "inherentlikelihood",
        "kansvoor",
        "kansvoormaatregelen",
        "brutokans",
        "kansbruto",
    ),
    "inherent_impact": (
        "impactbefore",
        "impactbeforemeasures",
        "inherentimpact",
        "impactvoor",
        "impactvoormaatregelen",
        "brutoimpact",
        "impactbruto",
    ),
    "residual_likelihood": (
        "likelihoodafter",
        "likelihoodaftermeasures",
        "residuallikelihood",
        "kansna",
        "kansnamaatregelen",
        "nettokans",
        "kansnetto",
    ),
    "residual_impact": (
        "impactafter",
        "impactaftermeasures",
        "residualimpact",
        "impactna",
        "impactnamaatregelen",
        "nettoimpact",
        "impactnetto",
    ),
}
FIELD_OF = {header: name for name, headers in HEADERS.items() for header in headers}
REQUIRED = ("process", "title")
PAIRS = (
    (ScoreKind.INHERENT.value, "inherent_likelihood", "inherent_impact"),
    (ScoreKind.RESIDUAL.value, "residual_likelihood", "residual_impact"),
)


def _key(header: str) -> str:
    """A header without case, accents, spaces and punctuation: "Kans vóór maatregelen" is
    "kansvoormaatregelen"."""
    plain = unicodedata.normalize("NFKD", header)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.casefold())


def _field_labels() -> dict[str, str]:
    return {
        "process": _("process"),
        "title": _("risk title"),
        "description": _("description"),
        "owner": _("owner"),
        "inherent_likelihood": _("likelihood before measures"),
        "inherent_impact": _("impact before measures"),
        "residual_likelihood": _("likelihood after measures"),
        "residual_impact": _("impact after measures"),
    }


@dataclass
class Row:
    number: int  # the row in the file (the headers are row 1)
    process: str = ""
    title: str = ""
    description: str = ""
    owner: str = ""
    scores: dict[str, list[int]] = field(default_factory=dict)  # kind → [likelihood, impact]
    errors: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    """The dry run: every row of the file with its errors, and the columns left out."""

    analysis: int
    file_name: str
    rows: list[Row]
    ignored: list[str]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if not row.errors]

    @property
    def invalid(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> Parsed:
        return cls(
            analysis=data["analysis"],
            file_name=data["file_name"],
            rows=[Row(**row) for row in data["rows"]],
            ignored=list(data["ignored"]),
        )


def _mapping(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    mapping: dict[str, int] = {}
    ignored = []
    for column, header in enumerate(headers):
        name = FIELD_OF.get(_key(header))
        if name is None or name in mapping:
            ignored.append(header)
        else:
            mapping[name] = column
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        labels = _field_labels()
        raise ImportRefused(
            _("The file has no column for: %(fields)s. Name the columns in the first row.")
            % {"fields": ", ".join(labels[name] for name in missing)}
        )
    return mapping, ignored


class _Matrix:
    """The steps and the grid of the analysis's matrix, read once for all rows."""

    def __init__(self, matrix):
        self.matrix = matrix
        self.likelihoods = {step.value for step in matrices.steps(matrix, Axis.LIKELIHOOD)}
        self.impacts = {step.value for step in matrices.steps(matrix, Axis.IMPACT)}
        self.grid = matrices.grid(matrix)

    def step(self, text: str, label: str, allowed: set[int], errors: list[str]) -> int | None:
        try:
            value = int(text.strip())
        except ValueError:
            errors.append(
                _("The %(field)s “%(value)s” is not a whole number.")
                % {"field": label, "value": text.strip()}
            )
            return None
        if value not in allowed:
            errors.append(
                _("The %(field)s %(value)s is not a step of the matrix %(matrix)s (%(steps)s).")
                % {
                    "field": label,
                    "value": value,
                    "matrix": self.matrix,
                    "steps": ", ".join(str(v) for v in sorted(allowed)),
                }
            )
            return None
        return value


def _row(number: int, cells: list[str], mapping: dict[str, int], matrix: _Matrix) -> Row:
    def cell(name: str) -> str:
        column = mapping.get(name)
        if column is None or column >= len(cells):
            return ""
        return cells[column].strip()

    labels = _field_labels()
    row = Row(
        number=number,
        process=cell("process"),
        title=cell("title"),
        description=cell("description"),
        owner=cell("owner"),
    )
    if not row.title:
        row.errors.append(_("The risk has no title."))
    if not row.process:
        row.errors.append(_("The risk names no process."))
    for name in ("process", "title", "owner"):
        if len(getattr(row, name)) > MAX_NAME:
            row.errors.append(
                _("The %(field)s is longer than %(max)d characters.")
                % {"field": labels[name], "max": MAX_NAME}
            )
    for kind, likelihood_field, impact_field in PAIRS:
        likelihood_text, impact_text = cell(likelihood_field), cell(impact_field)
        if not likelihood_text and not impact_text:
            continue
        if not likelihood_text or not impact_text:
            row.errors.append(
                _("Give both the %(likelihood)s and the %(impact)s, or neither.")
                % {"likelihood": labels[likelihood_field], "impact": labels[impact_field]}
            )
            continue
        likelihood = matrix.step(
            likelihood_text, labels[likelihood_field], matrix.likelihoods, row.errors
        )
        impact = matrix.step(impact_text, labels[impact_field], matrix.impacts, row.errors)
        if likelihood is None or impact is None:
            continue
        if (likelihood, impact) not in matrix.grid:
            row.errors.append(
                _("The matrix %(matrix)s has no level for this likelihood and impact.")
                % {"matrix": matrix.matrix}
            )
            continue
        row.scores[kind] = [likelihood, impact]
    return row


def read_register(user, analysis: Analysis, file_name: str, content: bytes) -> Parsed:
    """The dry run of a register file for `analysis`: every row with its errors. ImportRefused
    for a file that cannot be imported at all; nothing is written either way."""
    if not access.may_edit(user, analysis):
        raise PermissionDenied
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(max)s.") % {"max": filesizeformat(MAX_BYTES)}
        )
    headers, cells = read_table(file_name, content)
    if len(cells) > MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    mapping, ignored = _mapping(headers)
    matrix = _Matrix(analysis.matrix)
    rows = [
        _row(number, row, mapping, matrix)
        for number, row in enumerate(cells, start=2)
        if any(cell.strip() for cell in row)
    ]
    return Parsed(analysis=analysis.pk, file_name=file_name[:200], rows=rows, ignored=ignored)


@dataclass(frozen=True)
class Imported:
    risks: int
    processes: int
    scores: int


def import_rows(user, analysis: Analysis, parsed: Parsed) -> Imported:
    """Write the valid rows of the dry run into `analysis`, all or nothing: a process that the
    analysis has not got (by name, case ignored) is added, each risk is added as the
    coordinator's with its scores on the analysis's matrix. A score the matrix no longer takes
    (OutsideMatrix) undoes the whole import."""
    if not access.may_edit(user, analysis) or parsed.analysis != analysis.pk:
        raise PermissionDenied
    valid = parsed.valid
    if not valid:
        raise ImportRefused(_("No row is valid: nothing can be imported."))
    risks = processes = scores = 0
    with transaction.atomic():
        by_name: dict[str, Process] = {}
        for process in analysis.processes.order_by("pk"):
            by_name.setdefault(process.name.strip().casefold(), process)
        for row in valid:
            key = row.process.casefold()
            if key not in by_name:
                by_name[key] = services.save_process(user, analysis, {"name": row.process})
                processes += 1
            risk = services.save_risk(
                user,
                by_name[key],
                {
                    "title": row.title,
                    "description": row.description,
                    "owner": row.owner,
                    "source": RiskSource.COORDINATOR,
                },
            )
            risks += 1
            for kind, _likelihood, _impact in PAIRS:
                if kind in row.scores:
                    likelihood, impact = row.scores[kind]
                    services.score_risk(user, risk, kind, likelihood, impact)
                    scores += 1
        record(
            Actor.of(user),
            "prevention.risks_imported",
            "risk_analysis",
            analysis.pk,
            {
                "risks": risks,
                "processes": processes,
                "scores": scores,
                "rows_left_out": len(parsed.invalid),
            },
        )
    return Imported(risks=risks, processes=processes, scores=scores)
