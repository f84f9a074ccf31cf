from django.urls import path

from .views import mailbox, reporter, staff

app_name = "reports"

urlpatterns = [
    path("melden/", reporter.start, name="start"),
    path("melden/controleren/", reporter.check, name="check"),
    path("melden/versturen/", reporter.submit, name="submit"),
    path("melden/ontvangen/", reporter.received, name="received"),
    path("melden/<slug:slug>/", reporter.report, name="report"),
    path("postbus/", mailbox.login, name="mailbox_login"),
    path("postbus/berichten/", mailbox.mailbox, name="mailbox"),
    path("postbus/bijlage/<uuid:attachment_id>/", mailbox.attachment, name="mailbox_attachment"),
    path("postbus/verslag-akkoord/", mailbox.approve_minutes, name="mailbox_approve_minutes"),
    path("postbus/sluiten/", mailbox.logout, name="mailbox_logout"),
    path("behandeling/registreren/", staff.register, name="register"),
    path("behandeling/geregistreerd/", staff.registered, name="registered"),
]
