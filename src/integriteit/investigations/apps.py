from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "integriteit.investigations"
    label = "investigations"
    verbose_name = _("Investigations (BIPO)")

    def ready(self) -> None:
        from integriteit.cases import workflow

        from .services import open_investigation_gaps

        workflow.add_precondition("complete_investigation", open_investigation_gaps)
