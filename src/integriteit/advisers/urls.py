from django.urls import path

from .views import finder, register

app_name = "advisers"

urlpatterns = [
    path("vertrouwenspersonen/", finder.index, name="finder"),
    path("vertrouwenspersonen/register/", register.register, name="register"),
    path("vertrouwenspersonen/<slug:slug>/", finder.organisation, name="finder_organisation"),
]
