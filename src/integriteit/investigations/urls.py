from django.urls import path

from .views import files, protocol

app_name = "investigations"

INVESTIGATION = "onderzoek/<int:investigation_id>/"

urlpatterns = [
    path("onderzoek/protocol/", protocol.protocol, name="protocol"),
    path(
        f"{INVESTIGATION}rapport/<int:version_id>/pdf/",
        files.pdf,
        name="report_pdf",
    ),
    path(
        f"{INVESTIGATION}rapport/<int:version_id>/docx/",
        files.docx,
        name="report_docx",
    ),
]
