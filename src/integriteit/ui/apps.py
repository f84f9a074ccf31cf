from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "integriteit.ui"
    label = "ui"
