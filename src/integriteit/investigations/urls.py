from django.urls import path

from .views import files, portal, protocol

app_name = "investigations"

INVESTIGATION = "onderzoek/<int:investigation_id>/"

urlpatterns = [
    path("onderzoek/protocol/", protocol.protocol, name="protocol"),
    path("mijn-onderzoek/", portal.overview, name="portal"),
    path(
        "mijn-onderzoek/gesprek/<int:interview_id>/goedkeuren/",
        portal.approve_record,
        name="portal_approve_record",
    ),
    path(
        "mijn-onderzoek/gesprek/<int:interview_id>/opmerkingen/",
        portal.comment_record,
        name="portal_comment_record",
    ),
    path(
        "mijn-onderzoek/rapport/<int:version_id>/reactie/",
        portal.respond_to_draft,
        name="portal_respond",
    ),
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
