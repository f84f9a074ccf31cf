from django.urls import path

from .views import finder, register
from .views import log as log_views

app_name = "advisers"

urlpatterns = [
    path("vertrouwenspersonen/", finder.index, name="finder"),
    path("vertrouwenspersonen/register/", register.register, name="register"),
    path("vertrouwenspersonen/logboek/", log_views.log_list, name="log"),
    path("vertrouwenspersonen/logboek/nieuw/", log_views.log_new, name="log_new"),
    path("vertrouwenspersonen/logboek/<int:entry_id>/", log_views.log_edit, name="log_edit"),
    path(
        "vertrouwenspersonen/logboek/<int:entry_id>/verwijderen/",
        log_views.log_delete,
        name="log_delete",
    ),
    path(
        "vertrouwenspersonen/logboek/<int:entry_id>/melding/",
        log_views.log_on_behalf,
        name="log_on_behalf",
    ),
    path("vertrouwenspersonen/<slug:slug>/", finder.organisation, name="finder_organisation"),
]
