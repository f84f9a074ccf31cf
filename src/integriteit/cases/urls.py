from django.urls import path

from .views import workspace

app_name = "cases"

urlpatterns = [
    path("behandeling/", workspace.queue, name="queue"),
    path("behandeling/<uuid:report_id>/", workspace.detail, name="detail"),
    path("behandeling/<uuid:report_id>/ontvangst/", workspace.acknowledge, name="acknowledge"),
    path("behandeling/<uuid:report_id>/bericht/", workspace.send_message, name="message"),
    path("behandeling/<uuid:report_id>/stap/<slug:name>/", workspace.step, name="step"),
    path("behandeling/<uuid:report_id>/heropenen/", workspace.reopen, name="reopen"),
    path(
        "behandeling/<uuid:report_id>/bijlage/<uuid:attachment_id>/",
        workspace.attachment,
        name="attachment",
    ),
]
