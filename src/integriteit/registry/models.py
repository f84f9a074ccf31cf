"""The registry (SYSTEM.md module 5; seed 001 norm 13 "ordelijke en actuele (centrale)
registratie"): one entry per report with only non-identifying facts, and the taxonomies they are
counted by.

Nothing here identifies a reporter, a subject or a witness (REGISTRY.md "Reports go into the
government-wide registration anonymously"): no names, no free text about people, no unit below
the configured level (`REGISTRY_UNIT_DEPTH`). An entry survives the removal of personal data from
its case (RULES R9): it keeps no reference to a case's rows other than the report's id.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from integriteit.cases.constants import FollowUpRoute
from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.constants import Kind

from .constants import EntrySource, ImportRowStatus, ImportStatus, ReturnStatus, TaxonomyKind


class Taxonomy(models.Model):
    """One version of a list (violation types of 2024, measures of the cao Rijk 2020, ...),
    valid for the registration years from `valid_from` to `valid_until` (inclusive)."""

    kind = models.CharField(_("list"), max_length=20, choices=TaxonomyKind.choices)
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.PositiveSmallIntegerField(_("valid from (year)"))
    valid_until = models.PositiveSmallIntegerField(_("valid until (year)"), null=True, blank=True)
    predecessor = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor"
    )

    class Meta:
        ordering = ["kind", "valid_from"]
        unique_together = [("kind", "version")]
        verbose_name = _("taxonomy version")
        verbose_name_plural = _("taxonomy versions")

    def __str__(self) -> str:
        return self.name

    def covers(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_until is None or year <= self.valid_until)


class Category(models.Model):
    """One item of a taxonomy version. `successors` maps it onto the next version: one
    successor is a rename, several a split, and several items with one successor a merge
    (`taxonomy.comparable` decides what a year-on-year figure may add up)."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=48)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )

    class Meta:
        ordering = ["taxonomy", "position", "code"]
        unique_together = [("taxonomy", "code")]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_nl


class Entry(models.Model):
    """A report in the registry: what it was, what followed and how it ended."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registry_entries"
    )
    reference = models.CharField(_("reference"), max_length=40)
    source = models.CharField(_("source"), max_length=16, choices=EntrySource.choices)
    # The case this entry follows (source "system"); no foreign key, so that the entry outlives
    # whatever happens to the case's rows.
    report_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind of report"), max_length=32, choices=Kind.choices)
    channel = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("channel"),
    )
    violation_types = models.ManyToManyField(
        Category, blank=True, related_name="entries", verbose_name=_("violation types")
    )
    received_on = models.DateField(_("received"))
    acknowledged_on = models.DateField(_("acknowledged"), null=True, blank=True)
    fed_back_on = models.DateField(_("feedback on the outcome"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=32, choices=FollowUpRoute.choices, blank=True
    )
    investigated = models.BooleanField(_("investigated"), default=False)
    executor = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investigated by"),
    )
    criminal_complaints = models.PositiveSmallIntegerField(_("criminal complaints"), default=0)
    persons_involved = models.PositiveSmallIntegerField(_("persons involved"), default=0)
    # Set when the case closed: from then on the case no longer changes the entry (a reopened
    # case thaws it); corrections are by hand, with a reason (EntryChange).
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-received_on", "reference"]
        unique_together = [("organisation", "reference")]
        # The year's entries of some organisations (cells.cells_of_many, the register's list):
        # with the id in the index, the joins from the child tables (types, findings, measures)
        # to those entries read the index alone, not the entries' pages (PostgreSQL; elsewhere
        # `include` is ignored). docs/benchmarks.md, "registry".
        indexes = [
            models.Index(
                fields=["organisation", "received_on"],
                include=["id"],
                name="registry_entry_org_year_idx",
            )
        ]
        verbose_name = _("registry entry")
        verbose_name_plural = _("registry entries")

    def __str__(self) -> str:
        return self.reference

    @property
    def established(self) -> bool:
        return any(finding.established for finding in self.findings.all())

    def duration_days(self, on=None) -> int | None:
        """Days from receipt to closure (or to `on` for an entry still open then)."""
        end = self.closed_on or on
        return (end - self.received_on).days if end else None


class EntryFinding(models.Model):
    """Established or not, per violation type (the decision's findings)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="findings")
    violation_type = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    established = models.BooleanField(_("established"))

    class Meta:
        unique_together = [("entry", "violation_type")]

    def __str__(self) -> str:
        return f"{self.violation_type_id}: {self.established}"


class EntryMeasure(models.Model):
    """Measures of one kind imposed after the report, counted (one per person it was imposed
    on: REGISTRY.md "measures per person")."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        unique_together = [("entry", "measure")]

    def __str__(self) -> str:
        return f"{self.measure_id} x{self.count}"


class EntryChange(models.Model):
    """Why an entry changed: the case moved, a coordinator corrected it, an import wrote it.
    The annual return shows these beside a cell that changed since the draft."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(max_length=16, choices=EntrySource.choices)
    # The coordinator's reason for a correction: about the registration, never about people.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    fields = models.JSONField(default=dict)  # {field: [before, after]}

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.source} {self.at:%Y-%m-%d}"


class Headcount(models.Model):
    """Staff of an organisation in a year (fte), for rates per 1,000 employees."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    fte = models.DecimalField(_("staff (fte)"), max_digits=9, decimal_places=1)

    class Meta:
        unique_together = [("organisation", "year")]
        ordering = ["organisation", "year"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.fte}"


class SeriesBreak(models.Model):
    """A break in an organisation's series that is not a taxonomy change (those follow from the
    taxonomies), e.g. a new registration system (Defensie 2022, REGISTRY.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("from year"))
    note = models.CharField(_("note"), max_length=300)

    class Meta:
        ordering = ["organisation", "year"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"


# --- Annual returns (issue 11 §3) ---------------------------------------------------------------


class AnnualReturn(models.Model):
    """An organisation's annual return (jaaropgave) for a registration year: its cells are
    computed from the entries until it is submitted; each submission freezes them as a
    ReturnVersion, which later changes to entries never alter."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="annual_returns"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("reference date"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    # The validator's remark when returned (and optionally when validated).
    remark = models.TextField(_("remark"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("organisation", "year")]
        ordering = ["-year", "organisation"]
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"

    @property
    def latest_version(self) -> "ReturnVersion | None":
        return self.versions.order_by("-number").first()

    @property
    def submitted_version(self) -> "ReturnVersion":
        """The latest version of a return that has been submitted (every status past draft)."""
        version = self.latest_version
        if version is None:
            raise ValueError(f"return {self.pk} has no submitted version")
        return version


class ReturnVersion(models.Model):
    """The cells of a return as submitted: frozen."""

    annual_return = models.ForeignKey(
        AnnualReturn, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    cells = models.JSONField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        unique_together = [("annual_return", "number")]
        ordering = ["annual_return", "number"]

    def __str__(self) -> str:
        return f"{self.annual_return_id} v{self.number}"


class Publication(models.Model):
    """The government-wide figures of a year as published: the sum of the validated returns of
    the organisations under BZK's coordination, and those outside it (Defensie) apart."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cells = models.JSONField()  # {"sector": cells, "organisations": {id: cells}, "outside": ...}
    versions = models.ManyToManyField(ReturnVersion, related_name="publications")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("publication of annual figures")

    def __str__(self) -> str:
        return str(self.year)


# Imports of earlier registers (registry/imports.py; docs/registry-import.md). The file itself is
# never stored: its rows are parsed into ImportRow, and those rows are removed when the job ends
# (imported or cancelled), leaving the job with its counts.


class ImportJob(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    file_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    headers = models.JSONField(default=list)  # the file's column headers, in order
    mapping = models.JSONField(default=dict)  # {entry field: column index}
    # The registration year whose lists the codes come from; None: the year of each receipt.
    version_year = models.PositiveSmallIntegerField(null=True, blank=True)
    only_valid = models.BooleanField(default=False)  # import the valid rows, leave the others
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    invalid_rows = models.PositiveIntegerField(default=0)
    to_import = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    # Who ordered the import: the entries' changes are hers (EntryChange.by).
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.pk} {self.file_name}"


class ImportRow(models.Model):
    """One data row of an imported file: its cells as read, the values parsed from them under
    the job's mapping, and what is wrong with them."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # the row's number in the file (the headers are 1)
    cells = models.JSONField(default=list)
    values = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=dict)  # {field: [message, ...]}
    status = models.CharField(
        max_length=16, choices=ImportRowStatus.choices, default=ImportRowStatus.PENDING
    )

    class Meta:
        ordering = ["job", "number"]
        unique_together = [("job", "number")]
        indexes = [models.Index(fields=["job", "status", "number"])]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"
