from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "integriteit.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.admin.models import LogEntry

        from integriteit.crypto.keycheck import register_key_witness

        from . import navigation
        from .admin_log import record_admin_change
        from .models import AuditEntry
        from .services import newest_entries_fit

        register_key_witness("audit_key", AuditEntry, newest_entries_fit)
        navigation.register()
        # Every change made through the admin enters the audit chain (admin_log.py).
        post_save.connect(record_admin_change, sender=LogEntry, dispatch_uid="audit-admin-log")
        # Django logs a bulk delete with bulk_create, which sends no signal: objects are deleted
        # one at a time, so that each deletion is audited.
        admin.site.disable_action("delete_selected")
