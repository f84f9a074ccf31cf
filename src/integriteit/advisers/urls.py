from django.urls import path

from .views import annual as annual_views
from .views import finder, register
from .views import log as log_views
from .views import rooms as room_views

app_name = "advisers"

urlpatterns = [
    path("vertrouwenspersonen/", finder.index, name="finder"),
    path("vertrouwenspersonen/register/", register.register, name="register"),
    path("vertrouwenspersonen/ruimtes/", room_views.rooms, name="rooms"),
    path(
        "vertrouwenspersonen/ruimtes/<int:booking_id>/annuleren/",
        room_views.cancel_booking,
        name="cancel_booking",
    ),
    path("vertrouwenspersonen/jaarverslag/", annual_views.annual_list, name="annual_list"),
    path(
        "vertrouwenspersonen/jaarverslag/<int:pk>/",
        annual_views.annual_detail,
        name="annual_detail",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/<int:pk>/aanbeveling/",
        annual_views.annual_recommend,
        name="annual_recommend",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/<int:pk>/versturen/",
        annual_views.annual_send,
        name="annual_send",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/<int:pk>/cijfers.csv",
        annual_views.annual_csv,
        name="annual_csv",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/<int:pk>/cijfers.xlsx",
        annual_views.annual_xlsx,
        name="annual_xlsx",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/<int:pk>/jaarverslag.pdf",
        annual_views.annual_pdf,
        name="annual_pdf",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/aanbeveling/<int:pk>/reactie/",
        annual_views.recommendation_respond,
        name="recommendation_respond",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/aanbeveling/<int:pk>/actie/",
        annual_views.action_add,
        name="action_add",
    ),
    path(
        "vertrouwenspersonen/jaarverslag/actie/<int:pk>/gereed/",
        annual_views.action_done,
        name="action_done",
    ),
    path("vertrouwenspersonen/signalen/", annual_views.signals, name="signals"),
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
