from django.urls import path

from . import policy_views as views

urlpatterns = [
    path("preventie/beleid/", views.policy_list, name="policy_list"),
    path("preventie/beleid/nieuw/", views.policy_new, name="policy_new"),
    path("preventie/beleid/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("preventie/beleid/<int:pk>/bewerken/", views.policy_edit, name="policy_edit"),
    path("preventie/beleid/<int:pk>/doelen/nieuw/", views.goal_edit, name="goal_new"),
    path("preventie/beleid/<int:pk>/doelen/<int:goal_pk>/", views.goal_edit, name="goal_edit"),
    path(
        "preventie/beleid/<int:pk>/doelen/<int:goal_pk>/verwijderen/",
        views.goal_remove,
        name="goal_remove",
    ),
    path("preventie/beleid/<int:pk>/vaststellen/", views.policy_adopt, name="policy_adopt"),
    path("preventie/beleid/<int:pk>/evalueren/", views.policy_evaluate, name="policy_evaluate"),
    path(
        "preventie/beleid/<int:pk>/evaluaties/<int:evaluation_pk>/acties/",
        views.action_add,
        name="action_add",
    ),
    path(
        "preventie/beleid/<int:pk>/acties/<int:action_pk>/afgerond/",
        views.action_done,
        name="action_done",
    ),
]
