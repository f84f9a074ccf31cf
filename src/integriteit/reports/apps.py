from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "integriteit.reports"
    label = "reports"
    verbose_name = _("Reporting channel (meldpunt)")

    def ready(self) -> None:
        from integriteit.crypto.holders import register_key_holder
        from integriteit.crypto.keycheck import register_key_witness

        from . import navigation
        from .models import Report, ReportExclusion
        from .sealing import owner_of
        from .selectors import exclusion_key_fits

        register_key_holder(Report, owner_of)
        navigation.register()
        register_key_witness("exclusion_key", ReportExclusion, exclusion_key_fits)
