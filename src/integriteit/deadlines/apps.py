from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "integriteit.deadlines"
    label = "deadlines"
