from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _case_panel(page):
    """The investigations panel of the case page (cases.views.panels), when it has anything."""
    from integriteit.reports.selectors import content_of

    from .panels import case_panel

    context = case_panel(page.user, page.report, page.bound, lambda: page.read(content_of))
    return context if context["show"] else None


class InvestigationsConfig(AppConfig):
    name = "integriteit.investigations"
    label = "investigations"
    verbose_name = _("Investigations (BIPO)")

    def ready(self) -> None:
        from integriteit.cases import reminders as case_reminders
        from integriteit.cases import retention, workflow

        from . import facts, navigation, reminders
        from .services import open_investigation_gaps, remove_personal_data

        # An open investigation protocol keeps the case in the phase "Investigation".
        workflow.add_precondition("complete_investigation", open_investigation_gaps)
        retention.register_remover(remove_personal_data)
        navigation.register()
        facts.connect()  # the registry hears who investigated (SYSTEM.md module 5)
        # Time limits of investigation steps are reminded with the case reminders (issue 4 §6).
        case_reminders.register(reminders.send_due_reminders)
        # Commissioning and the list of investigations, in the case page's section
        # "investigation" after the follow-up decision; after a refused commission its form comes
        # back as bound "commission".
        from integriteit.cases.views.panels import CasePanel
        from integriteit.cases.views.panels import register as register_case_panel

        register_case_panel(
            CasePanel(
                "investigations",
                "investigations/case_panel.html",
                60,
                _case_panel,
                section="investigation",
                anchors=frozenset({"commission"}),
            )
        )
