from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "integriteit.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from integriteit.crypto.keycheck import register_key_witness

        from .models import AuditEntry
        from .services import newest_entries_fit

        register_key_witness("audit_key", AuditEntry, newest_entries_fit)
