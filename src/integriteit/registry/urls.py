from django.urls import path

from . import urls_import, views
from .urls_figures import urlpatterns as figures_patterns

app_name = "registry"

urlpatterns = [
    # Before `register/<entry_id>/`, which would take `register/jaaropgaven/` and the others.
    *figures_patterns,
    *urls_import.urlpatterns,
    path("register/", views.registry_list, name="list"),
    path("register/export.<str:kind>", views.registry_export, name="export"),
    path("register/nieuw/", views.entry_new, name="new"),
    path("register/<str:entry_id>/", views.entry_detail, name="detail"),
    path("register/<str:entry_id>/corrigeren/", views.entry_correct, name="correct"),
]
