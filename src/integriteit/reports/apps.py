from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "integriteit.reports"
    label = "reports"
    verbose_name = _("Reporting channel (meldpunt)")

    def ready(self) -> None:
        from integriteit.crypto.holders import register_key_holder

        from .models import Report
        from .sealing import owner_of

        register_key_holder(Report, owner_of)
