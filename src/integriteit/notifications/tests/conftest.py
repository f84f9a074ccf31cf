import pytest
from django.core import mail


@pytest.fixture
def outbox(settings, django_capture_on_commit_callbacks):
    """Mail goes through the outbox as in production: queued in the transaction, delivered
    (to Django's test outbox) by the after-commit hook. `outbox.mails_to(user)` lists what a
    person received; `outbox.run(fn, ...)` runs a step with the commit hooks executed."""
    settings.EMAIL_BACKEND = "integriteit.outbox.backend.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    class Outbox:
        @staticmethod
        def run(function, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return function(*args, **kwargs)

        @staticmethod
        def mails_to(user):
            return [m for m in mail.outbox if user.email in m.to]

    return Outbox()
