from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "integriteit.crypto"
    label = "crypto"
