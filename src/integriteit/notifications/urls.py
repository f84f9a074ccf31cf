from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notificaties/", views.notification_list, name="list"),
    path("notificaties/<int:notification_id>/gelezen/", views.mark_read, name="mark_read"),
    path("notificaties/alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("notificaties/escalatie/", views.escalation_overview, name="escalation"),
    path(
        "notificaties/escalatie/<int:organisation_id>/",
        views.escalation_settings,
        name="escalation_settings",
    ),
]
