from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "integriteit.prevention"
    label = "prevention"
    verbose_name = _("Prevention and the policy cycle")

    def ready(self) -> None:
        from . import setup_analyses

        setup_analyses.ready()
