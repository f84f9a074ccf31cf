from django.db import models
from django.utils.translation import gettext_lazy as _


class TaxonomyKind(models.TextChoices):
    """The lists the registry counts by; each is versioned data (REGISTRY.md "The category list
    changes over time")."""

    VIOLATION_TYPE = "violation_type", _("Violation types")
    MEASURE = "measure", _("Measures")
    CHANNEL = "channel", _("Channels")
    EXECUTOR = "executor", _("Investigation executors")


class EntrySource(models.TextChoices):
    SYSTEM = "system", _("Case handling in this system")
    MANUAL = "manual", _("Registered by hand")
    IMPORTED = "imported", _("Imported from an earlier register")


# --- Annual returns (issue 11 §3) ---------------------------------------------------------------


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned with a remark")
    PUBLISHED = "published", _("Published")


class ImportStatus(models.TextChoices):
    """An import of an earlier register (registry/imports.py): uploaded and waiting for its
    column mapping, checked (the dry run), importing in batches, done or cancelled."""

    MAPPING = "mapping", _("Waiting for the column mapping")
    CHECKED = "checked", _("Checked, nothing imported yet")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")


class ImportRowStatus(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Has errors")
    IMPORTED = "imported", _("Imported")
