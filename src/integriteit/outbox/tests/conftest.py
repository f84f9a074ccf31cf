import pytest

from .backends import LOCMEM, OUTBOX


@pytest.fixture
def outbox(settings):
    """Mail through the outbox, as in production, delivered to Django's test outbox."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings
