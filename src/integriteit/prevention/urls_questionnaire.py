from django.urls import path

from . import views_questionnaire as views

urlpatterns = [
    path(
        "risicoanalyses/<int:analysis_id>/vragenlijst/",
        views.questionnaire_new,
        name="questionnaire_new",
    ),
    path(
        "risicoanalyses/<int:analysis_id>/workshop/",
        views.workshop_new,
        name="workshop_new",
    ),
    path(
        "risicoanalyses/vragenlijsten/<int:questionnaire_id>/",
        views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "risicoanalyses/vragenlijsten/<int:questionnaire_id>/openen/",
        views.questionnaire_open,
        name="questionnaire_open",
    ),
    path(
        "risicoanalyses/vragenlijsten/<int:questionnaire_id>/sluiten/",
        views.questionnaire_close,
        name="questionnaire_close",
    ),
    path(
        "risicoanalyses/vragenlijsten/<int:questionnaire_id>/uitnodigingen/",
        views.questionnaire_invite,
        name="questionnaire_invite",
    ),
    # The employee's, without login.
    path("vragenlijst/", views.answer, name="answer"),
    path("vragenlijst/bedankt/", views.answered, name="answered"),
    path("vragenlijst/<str:code>/", views.answer_link, name="answer_link"),
]
