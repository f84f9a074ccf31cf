from django.urls import path

from .views import dashboard, public, workspace

app_name = "cases"

urlpatterns = [
    path("meldproces/", public.process, name="process"),
    path("behandeling/", workspace.queue, name="queue"),
    path("behandeling/overzicht/", dashboard.overview, name="dashboard"),
    path("behandeling/<uuid:report_id>/", workspace.detail, name="detail"),
    path("behandeling/<uuid:report_id>/ontvangst/", workspace.acknowledge, name="acknowledge"),
    path("behandeling/<uuid:report_id>/bericht/", workspace.send_message, name="message"),
    path("behandeling/<uuid:report_id>/stap/<slug:name>/", workspace.step, name="step"),
    path("behandeling/<uuid:report_id>/heropenen/", workspace.reopen, name="reopen"),
    path("behandeling/<uuid:report_id>/eenheid/", dashboard.set_unit, name="set_unit"),
    path(
        "behandeling/<uuid:report_id>/bijlage/<uuid:attachment_id>/",
        workspace.attachment,
        name="attachment",
    ),
]

# The reporter's side, inside the mailbox (reports.views.mailbox opens the session).
from .views import reporter  # noqa: E402

urlpatterns += [
    path("postbus/evaluatie/", reporter.evaluation, name="mailbox_evaluation"),
    path("postbus/klacht/", reporter.complaint, name="mailbox_complaint"),
    path(
        "postbus/klacht/ontvangen/",
        reporter.complaint_received,
        name="mailbox_complaint_received",
    ),
]
