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
        self._ready_declarations()

    def _ready_declarations(self) -> None:
        """The register of side activities and financial interests (RULES R16): its sealed
        descriptions, its reminders, its header entries and its demo content."""
        from integriteit.accounts.demo import register_demo_content
        from integriteit.cases import reminders as case_reminders
        from integriteit.crypto.holders import register_key_holder

        from . import demo_declarations, navigation_declarations, reminders
        from .models import FinancialInterest

        register_key_holder(FinancialInterest, FinancialInterest.owner)
        case_reminders.register(reminders.send_due_reminders)
        navigation_declarations.register()
        register_demo_content(demo_declarations.load)
