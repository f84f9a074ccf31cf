from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    """One entry of the append-only, keyed audit chain (SECURITY.md "Audit"; ADR 0006).

    `record` inserts the entry inside the caller's transaction with `mac` = HMAC(audit key, its
    canonical content including the random `uid`), so it cannot be forged, altered or copied
    without the key. A short separate transaction chains it afterwards: it fills `sequence`,
    `previous_hash` and `entry_hash` = HMAC(audit key, sequence, previous hash, mac). The audit
    key lives beside the KEK, outside the database. Entries hold who, what, which object and
    when: never case contents.
    """

    # Null only for entries written before the per-entry MAC (migration 0003): their
    # entry_hash chains their content directly.
    uid = models.UUIDField(unique=True, null=True, editable=False)
    timestamp = models.DateTimeField(editable=False, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, editable=False)
    actor_label = models.CharField(max_length=150, editable=False)
    action = models.CharField(max_length=64, editable=False, db_index=True)
    object_type = models.CharField(max_length=64, editable=False)
    object_id = models.CharField(max_length=64, editable=False, db_index=True)
    detail = models.JSONField(default=dict, editable=False)
    mac = models.CharField(max_length=64, editable=False)
    # The chain: empty until the entry is chained, then filled once (the trigger allows that
    # one UPDATE and no other).
    sequence = models.BigIntegerField(unique=True, null=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        # Recording order. The chain's order is `sequence`, which is given at chaining time.
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(sequence__isnull=True), name="audit_entry_unchained"
            )
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        number = self.sequence if self.is_chained else "–"
        return f"#{number} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def is_chained(self) -> bool:
        return self.sequence is not None
