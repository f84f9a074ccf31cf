from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "integriteit.registry"
    label = "registry"
    verbose_name = _("Registry and annual figures")

    def ready(self) -> None:
        from integriteit.cases.signals import case_changed

        from .feed import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="registry-follows-cases")

        from . import figures_navigation

        figures_navigation.register()
