from django.apps import AppConfig
from django.core import checks


class CryptoConfig(AppConfig):
    name = "integriteit.crypto"
    label = "crypto"

    def ready(self) -> None:
        from .keycheck import system_check

        # Tagged "database": runs for `check --database default` and `migrate`, not for
        # commands that need no database (collectstatic, makemigrations).
        checks.register(system_check, checks.Tags.database)
