from django.urls import path

from integriteit.ui.pages import staff_page

from . import views

app_name = "accounts"

# The staff's login pages: staff pages, without the reporter's footer (ui.pages).
urlpatterns = [
    path("inloggen/", staff_page(views.LoginView.as_view()), name="login"),
    path("tweede-factor/", staff_page(views.second_factor), name="second_factor"),
    path("tweede-factor/instellen/", staff_page(views.enrol), name="enrol"),
    path("uitloggen/", staff_page(views.logout), name="logout"),
    path(
        "wachtwoord-kiezen/<uidb64>/<token>/",
        staff_page(views.SetPasswordView.as_view()),
        name="set_password",
    ),
]
