"""E-mail waiting to be delivered (ADR 0017).

Mail bodies name no report contents (SECURITY.md), but addresses are personal data and some
bodies carry a login code or a link to choose a password: each message is sealed under a data key
of its own, wrapped by the KEK like a report's. Once delivered, the sealed message and its key are
emptied; the row stays as a record that it was sent. `last_error` names the kind of failure only
(an SMTP reply's text can contain addresses).
"""

import uuid

from django.db import models


class OutboxMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    wrapped_key = models.BinaryField()
    kek_version = models.CharField(max_length=16, blank=True)
    sealed_message = models.BinaryField()
    # Not before this moment: the next try, or the end of a delivery attempt's claim.
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"outbox message {self.pk}"

    @staticmethod
    def owner_of(message: "OutboxMessage") -> str:
        """The owner bound into the data key's associated data (crypto.holders)."""
        return f"outbox:{message.pk}"
