"""Annual returns and published figures (issue 11 §3–6), under register/ in the namespace
"registry": registry/urls.py puts these patterns before its own, whose register/<entry_id>/
would otherwise take register/jaaropgaven/."""

from django.urls import path

from . import figures_views as views

urlpatterns = [
    path("register/jaaropgaven/", views.return_list, name="return_list"),
    path("register/jaaropgaven/<int:pk>/", views.return_detail, name="return_detail"),
    path("register/jaaropgaven/<int:pk>/indienen/", views.return_submit, name="return_submit"),
    path("register/jaaropgaven/<int:pk>/beoordelen/", views.return_decide, name="return_decide"),
    path(
        "register/jaaropgaven/<int:pk>/standdatum/",
        views.return_reference_date,
        name="return_reference_date",
    ),
    path(
        "register/jaaropgaven/<int:pk>/personeel/", views.return_headcount, name="return_headcount"
    ),
    path("register/jaaropgaven/publiceren/", views.publish, name="publish"),
    path("register/cijfers/", views.figures, name="figures"),
    path("register/cijfers/csv/", views.figures_csv, name="figures_csv"),
    path("register/cijfers/xlsx/", views.figures_xlsx, name="figures_xlsx"),
    path("register/cijfers/pdf/", views.figures_pdf, name="figures_pdf"),
    path("register/cijfers/organisatie/", views.own_figures_page, name="own_figures"),
    path(
        "register/cijfers/organisatie/<str:kind>/",
        views.own_figures_export,
        name="own_figures_export",
    ),
]
