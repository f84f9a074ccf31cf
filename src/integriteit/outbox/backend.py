"""The EMAIL_BACKEND: Django's mail functions write to the outbox instead of talking SMTP
(ADR 0017). The messages are delivered after the commit by EMAIL_DELIVERY_BACKEND."""

from django.core.mail.backends.base import BaseEmailBackend

from . import services


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        # Queueing is part of the caller's transaction: a failure here is a database failure and
        # must roll back what the caller wrote, so fail_silently does not apply.
        rows = [services.queue(message) for message in email_messages]
        if rows:
            services.deliver_after_commit(rows)
        return len(rows)
