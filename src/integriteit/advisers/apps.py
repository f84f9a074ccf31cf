from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisersConfig(AppConfig):
    name = "integriteit.advisers"
    label = "advisers"
    verbose_name = _("Confidential advisers (vertrouwenspersonen)")

    def ready(self) -> None:
        from integriteit.accounts.demo import register_demo_content, register_demo_loader
        from integriteit.crypto.holders import register_key_holder
        from integriteit.reports.signals import report_registered

        from . import annual, demo, navigation
        from .log import on_report_registered, owner_of
        from .models import AnnualReport, ConversationLogEntry, InterimSignal

        register_key_holder(ConversationLogEntry, owner_of)
        register_key_holder(AnnualReport, annual.owner_of_report)
        register_key_holder(InterimSignal, annual.owner_of_signal)
        navigation.register()
        register_demo_loader(demo.load_advisers)
        register_demo_content(demo.load_log)  # only `manage.py load_demo` loads it

        report_registered.connect(on_report_registered, dispatch_uid="advisers-log-on-behalf")
