from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "integriteit.figures"
    label = "figures"
