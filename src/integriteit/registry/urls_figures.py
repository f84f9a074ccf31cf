"""Annual returns and published figures (issue 11 §3–6), under register/ (namespace
"registry"); the lead merges these patterns with registry/urls.py."""

from django.urls import path

from . import figures_views as views

app_name = "registry"

urlpatterns = [
    path("jaaropgaven/", views.return_list, name="return_list"),
    path("jaaropgaven/<int:pk>/", views.return_detail, name="return_detail"),
    path("jaaropgaven/<int:pk>/indienen/", views.return_submit, name="return_submit"),
    path("jaaropgaven/<int:pk>/beoordelen/", views.return_decide, name="return_decide"),
    path(
        "jaaropgaven/<int:pk>/standdatum/",
        views.return_reference_date,
        name="return_reference_date",
    ),
    path("jaaropgaven/<int:pk>/personeel/", views.return_headcount, name="return_headcount"),
    path("jaaropgaven/publiceren/", views.publish, name="publish"),
    path("cijfers/", views.figures, name="figures"),
    path("cijfers/csv/", views.figures_csv, name="figures_csv"),
    path("cijfers/xlsx/", views.figures_xlsx, name="figures_xlsx"),
    path("cijfers/pdf/", views.figures_pdf, name="figures_pdf"),
]
