"""The import pages, in the "registry" namespace: `registry/urls.py` puts these patterns
before its own (`register/<entry_id>/` would otherwise take `register/importeren/`)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("register/importeren/", import_views.import_start, name="import_start"),
    path("register/importeren/<int:pk>/", import_views.import_job, name="import_job"),
    path(
        "register/importeren/<int:pk>/koppelen/",
        import_views.import_mapping,
        name="import_mapping",
    ),
    path("register/importeren/<int:pk>/uitvoeren/", import_views.import_run, name="import_run"),
    path(
        "register/importeren/<int:pk>/annuleren/", import_views.import_cancel, name="import_cancel"
    ),
]
