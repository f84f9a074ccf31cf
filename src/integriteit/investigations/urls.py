from django.urls import path

from .views import protocol

app_name = "investigations"

urlpatterns = [
    path("onderzoek/protocol/", protocol.protocol, name="protocol"),
]
