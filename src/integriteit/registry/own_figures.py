"""Figures of my organisation (issue 11 §4, §7): one organisation's figures of a year as its
coordinators, competent authority and management (`access.organisations_for_own_figures`) see
them before publication: exact, because they have not left the organisation, and computed live
from its registry entries (`cells.cells_of`) at the reference date of the year's return (31
January of the next year when there is none).

The tables are those of the published figures (`published`, one table structure, one chart
helper) for one organisation, with the measures by kind and the handling (open, durations, R3
and R4) beside them. Where a return of the year has been submitted, a note gives its status and
the cells in which the registry now differs from the frozen version (`cells.differences`):
counts only, never an entry or a reason (those are for the coordinators, on the return page).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Organisation

from . import access, cells, published, returns, taxonomy
from .models import AnnualReturn, Entry

# No count is under 1: `suppress` hides nothing, and the tables are exact.
EXACT = 1


@dataclass
class Difference:
    key: str
    label: str
    submitted: str
    now: str


@dataclass
class ReturnNote:
    """The year's return as far as this page tells it: its status, and for a submitted one the
    cells that differ between its latest version and the registry now."""

    annual_return: AnnualReturn
    version: int | None = None
    submitted_at: datetime.datetime | None = None
    differences: list[Difference] = field(default_factory=list)
    can_open: bool = False  # whether the user may open the return's page


@dataclass
class OwnFigures:
    organisation: Organisation
    year: int
    reference_date: datetime.date
    figures: published.Figures | None  # None: no entry received in the year
    return_note: ReturnNote | None
    types: list[tuple[str, str]] = field(default_factory=list)  # the year's (code, name)

    @property
    def name(self) -> str:
        return self.organisation.abbreviation or self.organisation.name


def default_year() -> int:
    """The year of the return being prepared: last year."""
    return timezone.localdate().year - 1


def years_of(organisation: Organisation) -> list[int]:
    """The years in which the organisation received a report, and the default year."""
    found = {
        day.year
        for day in Entry.objects.filter(organisation=organisation).dates("received_on", "year")
    }
    return sorted(found | {default_year()}, reverse=True)


def reference_date(organisation: Organisation, year: int) -> datetime.date:
    """The reference date of the organisation's return of `year`, else the default."""
    found = AnnualReturn.objects.filter(organisation=organisation, year=year).first()
    return found.reference_date if found else cells.default_reference_date(year)


def _display(value) -> str:
    return "–" if value is None else str(value)


def _share(n: int, total: int) -> str:
    if not total:
        return "–"
    return _("%(n)s of %(total)s (%(share)s%%)") % {
        "n": n,
        "total": total,
        "share": round(100 * n / total),
    }


def build_exact(
    current: cells.Cells,
    organisation: Organisation,
    year: int,
    *,
    previous: cells.Cells | None = None,
    type_code: str = "",
    kind: str = "",
    fte: Decimal | None = None,
) -> published.Figures:
    """The exact tables of one organisation's cells of `year`, filtered to one violation type
    and/or one kind when given (as the published page filters its rows)."""
    name = organisation.abbreviation or organisation.name
    key = str(organisation.pk)
    names = {"organisation": name, "year": year}
    data = published.Figures(year, EXACT, exact=True)
    data.tables.append(
        published.funnel_table(
            "funnel",
            _("Reports and what followed, %(organisation)s, %(year)s") % names,
            [(key, name, current)],
            EXACT,
            column_totals=False,
        )
    )
    codes = sorted(current["reports"]["by_type"])
    if type_code:
        codes = [c for c in codes if c == type_code]
    labels = published._type_labels(codes, year)
    one_column = {"row_totals": False, "column_totals": False}
    data.tables.append(
        published.per_code_table(
            "types",
            _("Reports by violation type, %(organisation)s, %(year)s") % names,
            [(_("Reports"), current)],
            ("reports", "by_type"),
            codes,
            labels,
            EXACT,
            **one_column,
        )
    )
    data.tables.append(
        published.per_code_table(
            "established",
            _("Established violations by type, %(organisation)s, %(year)s") % names,
            [(_("Established"), current)],
            ("established", "by_type"),
            codes,
            labels,
            EXACT,
            **one_column,
        )
    )
    data.tables.append(
        published.per_code_table(
            "kinds",
            _("Reports by kind, %(organisation)s, %(year)s") % names,
            [(_("Reports"), current)],
            ("reports", "by_kind"),
            published.kind_codes(kind),
            published.kind_labels(),
            EXACT,
            row_totals=False,
            column_totals=not kind,
        )
    )
    measures = sorted(current["measures"])
    data.tables.append(
        published.per_code_table(
            "measures",
            _("Measures by kind (one per person), %(organisation)s, %(year)s") % names,
            [(_("Measures"), current)],
            ("measures",),
            measures,
            published._type_labels(measures, year, taxonomy.MEASURE),
            EXACT,
            **one_column,
        )
    )
    handled = {
        "open": current["open"],
        "closed": current["duration"]["closed"],
        "acknowledged_in_time": current["acknowledged_in_time"],
        "fed_back_in_time": current["fed_back_in_time"],
    }
    handled_labels = {
        "open": _("Open at the reference date"),
        "closed": _("Closed by the reference date"),
        "acknowledged_in_time": _("Acknowledged within 7 days"),
        "fed_back_in_time": _("Fed back within 3 months"),
    }
    data.tables.append(
        published.per_code_table(
            "handling",
            _("Handling at the reference date, %(organisation)s, %(year)s") % names,
            [(_("Reports"), {"handled": handled})],
            ("handled",),
            list(handled),
            handled_labels,
            EXACT,
            **one_column,
        )
    )
    total = current["reports"]["total"]
    data.handling = [
        (_("Median duration (days)"), _display(current["duration"]["median"])),
        (_("Duration, 90th percentile (days)"), _display(current["duration"]["p90"])),
        (_("Acknowledged within 7 days"), _share(current["acknowledged_in_time"], total)),
        (_("Fed back within 3 months"), _share(current["fed_back_in_time"], total)),
    ]
    if fte:
        data.rates.append(published.Rate(name, str(fte), f"{Decimal(total) * 1000 / fte:.1f}"))
    for item in cells.series_breaks([organisation.pk], year):
        data.notes.append(f"{name}: {item['note']}")
    if previous is not None:
        published.add_year_on_year(
            data,
            previous,
            current,
            codes,
            labels,
            reports_shown=True,
            type_shown=lambda code, change: True,
        )
    return data


def _return_note(user, organisation: Organisation, year: int, current: cells.Cells):
    annual_return = AnnualReturn.objects.filter(organisation=organisation, year=year).first()
    if annual_return is None:
        return None
    note = ReturnNote(
        annual_return,
        can_open=returns.returns_visible_to(user).filter(pk=annual_return.pk).exists(),
    )
    version = annual_return.latest_version
    if version is None:
        return note
    note.version, note.submitted_at = version.number, version.submitted_at
    frozen_on = datetime.date.fromisoformat(version.cells["reference_date"])
    now = (
        current
        if frozen_on.isoformat() == current["reference_date"]
        else cells.cells_of(organisation, year, frozen_on)
    )
    labels = returns.cell_labels()
    note.differences = [
        Difference(key, returns.label_of(key, year, labels), _display(before), _display(after))
        for key, (before, after) in cells.differences(version.cells, now).items()
    ]
    return note


def of_organisation(
    user, organisation: Organisation, year: int, *, type_code: str = "", kind: str = ""
) -> OwnFigures:
    """The page's figures, for a user inside the organisation (PermissionDenied otherwise)."""
    if not access.organisations_for_own_figures(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    on = reference_date(organisation, year)
    current = cells.cells_of(organisation, year, on)
    note = _return_note(user, organisation, year, current)
    own = OwnFigures(organisation, year, on, None, note)
    if not current["reports"]["total"]:
        return own
    previous = cells.cells_of(organisation, year - 1, reference_date(organisation, year - 1))
    own.figures = build_exact(
        current,
        organisation,
        year,
        previous=previous if previous["reports"]["total"] else None,
        type_code=type_code,
        kind=kind,
        fte=returns.headcount(organisation.pk, year),
    )
    codes = sorted(current["reports"]["by_type"])
    labels = published._type_labels(codes, year)
    own.types = sorted(((code, labels.get(code, code)) for code in codes), key=lambda t: t[1])
    return own


def export_rows(own: OwnFigures) -> list[list[str | int]]:
    """The page as rows for CSV and XLSX: the tables (exact), then the return's note."""
    rows: list[list[str | int]] = [
        [_("Organisation"), own.name],
        [_("Reference date"), own.reference_date.isoformat()],
    ]
    if own.figures is None:
        rows.append([_("Year"), own.year])
        rows.append([_("No reports were registered in this year.")])
    else:
        rows.extend(published.export_rows(own.figures))
    note = own.return_note
    if note is not None:
        rows.append([])
        rows.append([_("Annual return"), note.annual_return.get_status_display()])
        if note.version is not None:
            rows.append([_("Cell"), _("Submitted"), _("Now")])
            rows.extend([d.label, d.submitted, d.now] for d in note.differences)
    return rows


@transaction.atomic
def record_export(user, own: OwnFigures, kind: str, filters: dict) -> None:
    """Every download of an organisation's exact figures is in the audit trail: who, which
    organisation and year, which format and filters (SECURITY.md "Audit")."""
    record(
        Actor.of(user),
        "registry.own_figures_exported",
        "organisation",
        own.organisation.pk,
        {"year": own.year, "format": kind, "filters": filters},
    )
