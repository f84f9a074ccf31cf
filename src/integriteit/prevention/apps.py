from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "integriteit.prevention"
    label = "prevention"
    verbose_name = _("Prevention and the policy cycle")

    def ready(self) -> None:
        from integriteit.accounts.demo import register_demo_content

        from . import demo_policy, demo_position, navigation

        navigation.register()
        # Only `manage.py load_demo` loads these.
        register_demo_content(demo_position.load_position)
        register_demo_content(demo_policy.load_policy)
