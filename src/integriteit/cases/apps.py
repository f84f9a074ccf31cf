from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "integriteit.cases"
    label = "cases"
    verbose_name = _("Case handling")

    def ready(self):
        # The reporter's side of case handling appears in the mailbox of `reports`.
        from integriteit.accounts.demo import register_demo_content
        from integriteit.crypto.holders import register_key_holder
        from integriteit.reports.signals import report_received

        from . import access, demo, facts, navigation
        from .mailbox import register_panels
        from .models import DeclaredConflict
        from .routing import route_when_no_coordinator

        register_panels()
        facts.connect()  # the registry follows each case (SYSTEM.md module 5)
        access.register()  # the case roles' table and case assignments (ADR 0002)
        navigation.register()
        # A declared conflict belongs to no case: it has its own data key (ADR 0013).
        register_key_holder(DeclaredConflict, lambda conflict: f"declaredconflict:{conflict.pk}")
        report_received.connect(route_when_no_coordinator, dispatch_uid="cases-routing")
        register_demo_content(demo.load_cases)  # only `manage.py load_demo` loads it
        # The case page's own panels; later modules register theirs from their own ready().
        from .views.panels.builders import register_case_panels

        register_case_panels()
