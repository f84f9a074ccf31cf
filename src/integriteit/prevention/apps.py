from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "integriteit.prevention"
    label = "prevention"
    verbose_name = _("Prevention and the policy cycle")

    def ready(self) -> None:
        from integriteit.accounts.demo import register_demo_content
        from integriteit.cases import reminders as case_reminders
        from integriteit.crypto.holders import register_key_holder

        from . import (
            demo_declarations,
            demo_policy,
            demo_position,
            navigation,
            navigation_declarations,
            reminders,
            setup_analyses,
        )
        from .models import FinancialInterest, Questionnaire

        navigation.register()
        setup_analyses.ready()  # first: the demo policy's goals link the demo analysis's risks
        # Only `manage.py load_demo` loads these.
        register_demo_content(demo_position.load_position)
        register_demo_content(demo_policy.load_policy)
        # The register of side activities (R16): sealed descriptions of financial interests,
        # yearly re-confirmation reminders, its header entries and its demo content.
        register_key_holder(FinancialInterest, FinancialInterest.owner)
        register_key_holder(Questionnaire, Questionnaire.owner)
        case_reminders.register(reminders.send_due_reminders)
        navigation_declarations.register()
        register_demo_content(demo_declarations.load)
