"""A mail server that refuses every message, as an SMTP relay that is down or full does."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

REFUSING = "integriteit.outbox.tests.backends.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
OUTBOX = "integriteit.outbox.backend.OutboxBackend"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        # A real reply names the recipient: the outbox must not keep the text.
        address = email_messages[0].to[0]
        raise smtplib.SMTPDataError(451, f"{address}: try again later".encode())
