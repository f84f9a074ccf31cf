"""The import of a risk register into an analysis (views_risk_import.py), in the "prevention"
namespace."""

from django.urls import path

from . import views_risk_import as views

urlpatterns = [
    path("risicoanalyses/<int:analysis_id>/importeren/", views.risk_import, name="risk_import"),
    path(
        "risicoanalyses/<int:analysis_id>/importeren/controle/",
        views.risk_import_check,
        name="risk_import_check",
    ),
]
