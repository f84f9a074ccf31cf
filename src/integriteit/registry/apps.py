from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "integriteit.registry"
    label = "registry"
    verbose_name = _("Registry and annual figures")

    def ready(self) -> None:
        from integriteit.accounts.demo import register_demo_content
        from integriteit.cases.signals import case_changed

        from . import demo, navigation
        from .feed import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="registry-follows-cases")
        navigation.register()
        register_demo_content(demo.load_registry)  # only `manage.py load_demo` loads it
