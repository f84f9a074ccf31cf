from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "integriteit.access"
    label = "access"
