from django.urls import path

from . import position_views

urlpatterns = [
    path("preventie/positie/", position_views.position_page, name="position"),
    path("preventie/positie/vastleggen/", position_views.record_position, name="record_position"),
]
