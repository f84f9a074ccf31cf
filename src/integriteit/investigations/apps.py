from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "integriteit.investigations"
    label = "investigations"
    verbose_name = _("Investigations (BIPO)")

    def ready(self) -> None:
        # Time limits of investigation steps are reminded with the case reminders (issue 4 §6).
        from integriteit.cases import reminders as case_reminders

        from . import reminders

        case_reminders.register(reminders.send_due_reminders)
