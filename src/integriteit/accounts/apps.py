from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "integriteit.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import navigation
        from .sessions import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="integriteit.accounts.stamp_login")
        navigation.register()
