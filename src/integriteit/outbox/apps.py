from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "integriteit.outbox"
    label = "outbox"
    verbose_name = _("Mail outbox")

    def ready(self) -> None:
        from integriteit.crypto.holders import register_key_holder

        from .models import OutboxMessage

        register_key_holder(OutboxMessage, OutboxMessage.owner_of)
