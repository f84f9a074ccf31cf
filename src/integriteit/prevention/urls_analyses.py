"""The integrity risk analysis pages (issue 12 §1), namespace "analyses"."""

from django.urls import path

from . import views_analyses as views

app_name = "analyses"

urlpatterns = [
    path("risicoanalyses/", views.analysis_list, name="list"),
    path("risicoanalyses/nieuw/", views.analysis_new, name="new"),
    path("risicoanalyses/<int:analysis_id>/", views.analysis_detail, name="detail"),
    path("risicoanalyses/<int:analysis_id>/wijzigen/", views.analysis_edit, name="edit"),
    path("risicoanalyses/<int:analysis_id>/heatmap/", views.analysis_heat_map, name="heat_map"),
    path(
        "risicoanalyses/<int:analysis_id>/risicoregister.xlsx",
        views.analysis_export,
        name="export",
    ),
    path(
        "risicoanalyses/<int:analysis_id>/rapport.pdf",
        views.analysis_report,
        name="report",
    ),
    path("risicoanalyses/<int:analysis_id>/proces/", views.process_new, name="process_new"),
    path("risicoanalyses/<int:analysis_id>/maatregel/", views.measure_new, name="measure_new"),
    path(
        "risicoanalyses/<int:analysis_id>/momentopname/",
        views.analysis_snapshot,
        name="take_snapshot",
    ),
    path(
        "risicoanalyses/<int:analysis_id>/volgend-jaar/",
        views.analysis_next_year,
        name="next_year",
    ),
    path(
        "risicoanalyses/<int:analysis_id>/vergelijking/",
        views.analysis_comparison,
        name="comparison",
    ),
    path("risicoanalyses/processen/<int:process_id>/", views.process_edit, name="process_edit"),
    path("risicoanalyses/processen/<int:process_id>/risico/", views.risk_new, name="risk_new"),
    path("risicoanalyses/risicos/<int:risk_id>/", views.risk_edit, name="risk_edit"),
    path("risicoanalyses/risicos/<int:risk_id>/score/", views.risk_score, name="score"),
    path("risicoanalyses/risicos/<int:risk_id>/acceptatie/", views.risk_accept, name="accept"),
    path("risicoanalyses/risicos/<int:risk_id>/beoordeling/", views.risk_review, name="review"),
    path("risicoanalyses/maatregelen/<int:measure_id>/", views.measure_edit, name="measure_edit"),
    path(
        "risicoanalyses/momentopnamen/<int:snapshot_id>/",
        views.snapshot_detail,
        name="snapshot",
    ),
]
