from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "integriteit.cases"
    label = "cases"
    verbose_name = _("Case handling")

    def ready(self):
        # The reporter's side of case handling appears in the mailbox of `reports`.
        from integriteit.reports.signals import report_received

        from .mailbox import register_panels
        from .routing import route_when_no_coordinator

        register_panels()
        report_received.connect(route_when_no_coordinator, dispatch_uid="cases-routing")
