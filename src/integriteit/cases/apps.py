from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "integriteit.cases"
    label = "cases"
    verbose_name = _("Case handling")

    def ready(self):
        # The reporter's side of case handling appears in the mailbox of `reports`.
        from .mailbox import register_panels

        register_panels()
