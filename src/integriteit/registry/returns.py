"""Annual returns (issue 11 §3): the writes (one transaction each, audited) and the reads that
go with them, access applied through `registry.access`.

draft ──submit──▶ submitted ──validate──▶ validated ──publish──▶ published
  ▲                  │
  └────returned◀─────┘ (send_back, with a remark; submitting again makes a new version)

A submission freezes the cells as a new ReturnVersion; later changes to entries show as
differences against it (with the EntryChange records that explain them), never as changes to
the version.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record

from . import access, cells
from .constants import ReturnStatus
from .models import AnnualReturn, EntryChange, Headcount, Publication, ReturnVersion


class ReturnError(ValueError):
    pass


# --- Reads -------------------------------------------------------------------------------------


def returns_visible_to(user):
    return AnnualReturn.objects.filter(
        organisation__in=access.organisations_for_returns(user)
    ).select_related("organisation")


def return_for(user, pk: int) -> AnnualReturn:
    """The return with this id if the user may see it; PermissionDenied otherwise (also for an
    id that does not exist, so ids cannot be probed)."""
    found = returns_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied
    return found


def may_submit(user, annual_return: AnnualReturn) -> bool:
    return access.organisations_to_submit(user).filter(pk=annual_return.organisation_id).exists()


def may_validate(user, annual_return: AnnualReturn) -> bool:
    return access.organisations_to_validate(user).filter(pk=annual_return.organisation_id).exists()


def current_cells(annual_return: AnnualReturn) -> cells.Cells:
    return cells.cells_of(
        annual_return.organisation, annual_return.year, annual_return.reference_date
    )


# Which entry fields a cell depends on (to show the EntryChange records beside a changed cell).
CELL_FIELDS = {
    "reports": {"received_on", "kind", "violation_types", "organisation_id"},
    "investigations": {"investigated", "received_on"},
    "established": {"findings", "received_on"},
    "measures": {"measures", "received_on"},
    "criminal_complaints": {"criminal_complaints", "received_on"},
    "open": {"closed_on", "received_on"},
    "persons_involved": {"persons_involved", "received_on"},
    "duration": {"closed_on", "received_on"},
    "acknowledged_in_time": {"acknowledged_on", "received_on"},
    "fed_back_in_time": {"fed_back_on", "acknowledged_on", "received_on"},
}


def comparison(annual_return: AnnualReturn, *, with_changes: bool = True) -> list[dict]:
    """Per cell of the latest version: frozen value, current value, and for a changed cell the
    entry changes since the submission that touch its fields (`with_changes`: only for the
    organisation's coordinators, who keep its entries; a validator never sees an entry)."""
    version = annual_return.latest_version
    now = cells.flat(current_cells(annual_return))
    if version is None:
        return _labelled(
            [
                {"key": key, "frozen": None, "current": value, "changes": []}
                for key, value in now.items()
            ],
            annual_return.year,
        )
    frozen = cells.flat(version.cells)
    changes = list(
        EntryChange.objects.filter(
            entry__organisation_id=annual_return.organisation_id, at__gt=version.submitted_at
        ).select_related("entry")
    )
    rows = []
    for key in sorted(set(frozen) | set(now)):
        before, after = frozen.get(key), now.get(key)
        related = []
        if with_changes and (before or 0) != (after or 0):
            fields = CELL_FIELDS.get(key.split(".")[0], set())
            related = [
                change
                for change in changes
                if fields & set(change.fields)
                and (
                    change.entry.received_on.year == annual_return.year
                    or "received_on" in change.fields
                )
            ]
        rows.append({"key": key, "frozen": before, "current": after, "changes": related})
    return _labelled(rows, annual_return.year)


def suppressed_figures(annual_return: AnnualReturn):
    """The submitted return as it leaves the organisation: the tables of the published figures
    for this one organisation, through the one suppression function (for a validator)."""
    from . import published

    version = annual_return.latest_version
    if version is None:
        return None
    key = str(annual_return.organisation_id)
    return published.build(
        {"organisations": {key: version.cells}, "outside": {}, "sector": version.cells},
        annual_return.year,
    )


def _labelled(rows: list[dict], year: int) -> list[dict]:
    labels = cell_labels()
    for row in rows:
        row["label"] = label_of(row["key"], year, labels)
    return rows


def cell_labels() -> dict[str, str]:
    return {
        "reports.total": _("Reports"),
        "reports.by_type": _("Reports by violation type"),
        "reports.by_kind": _("Reports by kind"),
        "investigations": _("Investigations"),
        "established.total": _("Reports with an established violation"),
        "established.by_type": _("Established violations by type"),
        "measures": _("Measures"),
        "criminal_complaints": _("Criminal complaints"),
        "open": _("Open at the reference date"),
        "persons_involved": _("Persons involved"),
        "duration.closed": _("Closed by the reference date"),
        "duration.median": _("Median duration (days)"),
        "duration.p90": _("Duration, 90th percentile (days)"),
        "acknowledged_in_time": _("Acknowledged within 7 days"),
        "fed_back_in_time": _("Fed back within 3 months"),
    }


def label_of(key: str, year: int, labels: dict[str, str] | None = None) -> str:
    """A cell's name for the reader: "Reports by violation type: Financial violations"."""
    from integriteit.reports.constants import Kind

    from . import taxonomy

    labels = labels or cell_labels()
    if key in labels:
        return labels[key]
    section, _dot, code = key.rpartition(".")
    if section in ("reports.by_type", "established.by_type", "measures"):
        kind = taxonomy.MEASURE if section == "measures" else taxonomy.VIOLATION_TYPE
        item = taxonomy.version_for(kind, year).categories.filter(code=code).first()
        name = str(item.name) if item else code
    elif section == "reports.by_kind":
        name = str(dict(Kind.choices).get(code, code))
    else:
        return key
    return f"{labels.get(section, section)}: {name}"


def headcount(organisation_id: int, year: int) -> Decimal | None:
    found = Headcount.objects.filter(organisation_id=organisation_id, year=year).first()
    return found.fte if found else None


# --- Writes ------------------------------------------------------------------------------------


def _audit(user, action: str, annual_return: AnnualReturn, **detail) -> None:
    record(
        Actor.of(user),
        f"registry.return_{action}",
        "annualreturn",
        annual_return.pk,
        {"organisation": annual_return.organisation_id, "year": annual_return.year, **detail},
    )


@transaction.atomic
def open_return(
    user, organisation, year: int, reference_date: datetime.date | None = None
) -> AnnualReturn:
    """The organisation's return for `year`, created as a draft when there is none."""
    if not access.organisations_to_submit(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    annual_return, created = AnnualReturn.objects.get_or_create(
        organisation=organisation,
        year=year,
        defaults={"reference_date": reference_date or cells.default_reference_date(year)},
    )
    if created:
        _audit(user, "opened", annual_return)
    return annual_return


@transaction.atomic
def set_reference_date(user, annual_return: AnnualReturn, reference_date: datetime.date) -> None:
    annual_return = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
    if not may_submit(user, annual_return):
        raise PermissionDenied
    if annual_return.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
        raise ReturnError(_("Only a draft or returned return can be changed."))
    if reference_date < datetime.date(annual_return.year, 12, 31):
        raise ReturnError(_("The reference date is the end of the year or later."))
    annual_return.reference_date = reference_date
    annual_return.save(update_fields=["reference_date", "updated_at"])
    _audit(user, "reference_date", annual_return, reference_date=reference_date.isoformat())


@transaction.atomic
def submit(user, annual_return: AnnualReturn, explanation: str = "") -> ReturnVersion:
    """Freeze the current cells as a new version (coordinator of the organisation)."""
    annual_return = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
    if not may_submit(user, annual_return):
        raise PermissionDenied
    if annual_return.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
        raise ReturnError(_("This return has already been submitted."))
    number = (annual_return.versions.count() or 0) + 1
    version = ReturnVersion.objects.create(
        annual_return=annual_return,
        number=number,
        cells=current_cells(annual_return),
        submitted_at=timezone.now(),
        submitted_by=user,
        explanation=explanation.strip(),
    )
    annual_return.status = ReturnStatus.SUBMITTED
    annual_return.save(update_fields=["status", "updated_at"])
    _audit(user, "submitted", annual_return, version=number)
    return version


def _decide(user, annual_return: AnnualReturn, status: str, remark: str) -> AnnualReturn:
    annual_return = AnnualReturn.objects.select_for_update().get(pk=annual_return.pk)
    if not may_validate(user, annual_return):
        raise PermissionDenied
    if annual_return.status != ReturnStatus.SUBMITTED:
        raise ReturnError(_("Only a submitted return can be validated or returned."))
    annual_return.status = status
    annual_return.remark = remark.strip()
    annual_return.validated_at = timezone.now()
    annual_return.validated_by = user
    annual_return.save(
        update_fields=["status", "remark", "validated_at", "validated_by", "updated_at"]
    )
    _audit(user, status, annual_return, version=annual_return.submitted_version.number)
    return annual_return


@transaction.atomic
def validate(user, annual_return: AnnualReturn, remark: str = "") -> AnnualReturn:
    return _decide(user, annual_return, ReturnStatus.VALIDATED, remark)


@transaction.atomic
def send_back(user, annual_return: AnnualReturn, remark: str) -> AnnualReturn:
    """Return to the organisation with a remark (required)."""
    if not remark.strip():
        raise ReturnError(_("Say what needs to change."))
    return _decide(user, annual_return, ReturnStatus.RETURNED, remark)


@transaction.atomic
def set_headcount(user, organisation, year: int, fte: Decimal) -> Headcount:
    if not access.organisations_to_submit(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if fte <= 0:
        raise ReturnError(_("Enter a positive number of fte."))
    found, _created = Headcount.objects.update_or_create(
        organisation=organisation, year=year, defaults={"fte": fte}
    )
    record(
        Actor.of(user),
        "registry.headcount",
        "organisation",
        organisation.pk,
        {"year": year, "fte": str(fte)},
    )
    return found


@transaction.atomic
def publish(user, year: int) -> Publication:
    """The government-wide figures of `year` (BZK's government-wide coordinator): the validated
    returns of the organisations under BZK's coordination, summed into the sector total, and
    the validated returns of organisations outside it, apart and never in the total."""
    if not access.is_government_wide_coordinator(user):
        raise PermissionDenied
    if Publication.objects.filter(year=year).exists():
        raise ReturnError(_("The figures of this year have been published."))
    returns = list(
        AnnualReturn.objects.select_for_update()
        .filter(year=year, status=ReturnStatus.VALIDATED)
        .select_related("organisation")
    )
    if not returns:
        raise ReturnError(_("There is no validated return for this year."))
    versions = {r.pk: r.submitted_version for r in returns}
    inside = {
        str(r.organisation_id): versions[r.pk].cells
        for r in returns
        if not r.organisation.outside_bzk_coordination
    }
    outside = {
        str(r.organisation_id): versions[r.pk].cells
        for r in returns
        if r.organisation.outside_bzk_coordination
    }
    reference = max(r.reference_date for r in returns)
    fte = {
        str(h.organisation_id): str(h.fte)
        for h in Headcount.objects.filter(
            year=year, organisation__in=[r.organisation_id for r in returns]
        )
    }
    publication = Publication.objects.create(
        year=year,
        cells={
            "sector": cells.total(inside.values(), year, reference),
            "organisations": inside,
            "outside": outside,
            "fte": fte,
            "breaks": cells.series_breaks([r.organisation_id for r in returns], year),
        },
        published_at=timezone.now(),
        published_by=user,
    )
    publication.versions.set(versions.values())
    now = timezone.now()
    AnnualReturn.objects.filter(pk__in=[r.pk for r in returns]).update(
        status=ReturnStatus.PUBLISHED, published_at=now, updated_at=now
    )
    record(
        Actor.of(user),
        "registry.published",
        "publication",
        publication.pk,
        {"year": year, "returns": sorted(r.pk for r in returns)},
    )
    return publication
