from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("tweede-factor/", views.second_factor, name="second_factor"),
    path("tweede-factor/instellen/", views.enrol, name="enrol"),
    path("uitloggen/", views.logout, name="logout"),
    path(
        "wachtwoord-kiezen/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set_password",
    ),
]
