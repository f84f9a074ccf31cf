from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "integriteit.notifications"
    label = "notifications"
    verbose_name = _("Notifications and escalation")

    def ready(self) -> None:
        from integriteit.cases import reminders

        from . import escalation, navigation, receivers

        receivers.connect()
        navigation.register()
        # The escalations run with the reminders (`manage.py send_reminders`), idempotent too.
        reminders.register(escalation.send_due_escalations)
