from django.urls import path

from .views import files, portal, protocol, staff

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
        f"{INVESTIGATION}document/<int:document_id>/",
        files.document,
        name="document",
    ),
    path(
        f"{INVESTIGATION}rapport/<int:version_id>/docx/",
        files.docx,
        name="report_docx",
    ),
]

# Staff screens (the case panel, the investigation page, investigators and workload).
urlpatterns += [
    path(
        "behandeling/<uuid:report_id>/onderzoek-opdracht/",
        staff.commission,
        name="commission",
    ),
    path("onderzoek/", staff.mine, name="mine"),
    path("onderzoek/onderzoekers/", staff.investigators, name="investigators"),
    path(
        "onderzoek/onderzoekers/<int:user_id>/profiel/",
        staff.investigator_profile,
        name="investigator_profile",
    ),
    path(INVESTIGATION, staff.detail, name="detail"),
    path(f"{INVESTIGATION}stap/<slug:code>/gegevens/", staff.save_values, name="save_values"),
    path(f"{INVESTIGATION}stap/<slug:code>/document/", staff.upload, name="upload"),
    path(f"{INVESTIGATION}stap/<slug:code>/afronden/", staff.complete, name="complete"),
    path(
        f"{INVESTIGATION}stap/<slug:code>/afwijking/",
        staff.request_deviation,
        name="request_deviation",
    ),
    path(
        f"{INVESTIGATION}stap/<slug:code>/afwijking/goedkeuren/",
        staff.approve_deviation,
        name="approve_deviation",
    ),
    path(f"{INVESTIGATION}gesprek/<slug:role>/", staff.plan_interview, name="plan_interview"),
    path(
        f"{INVESTIGATION}gesprek/<int:interview_id>/verslag/",
        staff.record_interview,
        name="record_interview",
    ),
    path(f"{INVESTIGATION}rapport/<slug:kind>/", staff.generate_report, name="generate_report"),
    path(f"{INVESTIGATION}concept-aanbieden/", staff.offer_draft, name="offer_draft"),
]
