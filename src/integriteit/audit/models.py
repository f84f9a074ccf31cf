from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    """One link of the append-only, keyed hash chain (SECURITY.md "Audit").

    `entry_hash` = HMAC(audit key, previous hash + the entry's canonical form). The audit key
    lives beside the KEK, outside the database, so rewriting history needs more than write access
    to this table. Entries hold who, what, which object and when: never case contents.
    """

    sequence = models.BigIntegerField(unique=True, editable=False)
    timestamp = models.DateTimeField(editable=False, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, editable=False)
    actor_label = models.CharField(max_length=150, editable=False)
    action = models.CharField(max_length=64, editable=False, db_index=True)
    object_type = models.CharField(max_length=64, editable=False)
    object_id = models.CharField(max_length=64, editable=False, db_index=True)
    detail = models.JSONField(default=dict, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
