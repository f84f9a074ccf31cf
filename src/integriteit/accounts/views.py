from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.ui.landing import landing_for

from . import services
from .decorators import staff_required
from .forms import LoginForm, OwnPasswordForm, TokenForm

NEXT_KEY = "after_second_factor"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        next_url = self.get_redirect_url()
        response = super().form_valid(form)
        if next_url:
            self.request.session[NEXT_KEY] = next_url
        return redirect("accounts:second_factor") if response.status_code == 302 else response


def _next(request) -> str:
    target = request.session.pop(NEXT_KEY, "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return landing_for(request.user)  # each role on its own work (ui.landing)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    if request.user.is_verified():
        return redirect(_next(request))
    device = services.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify(request, device, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("This code is not correct or has expired. Try the current code."))
    return render(request, "accounts/second_factor.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Guided enrolment: scan the QR code (or type the key), then confirm with a first code."""
    if services.confirmed_device(request.user) is not None:
        return redirect("accounts:second_factor")
    device = services.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify(request, device, form.cleaned_data["token"]):
            messages.success(
                request, _("Your second factor is set up. From now on you log in with a code.")
            )
            return redirect(_next(request))
        form.add_error(
            "token",
            _("This code is not correct. Check the time on your phone and try the current code."),
        )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": services.qr_svg(device),
            "secret": services.secret_for_display(device),
        },
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one way to a new password: the person opens the one-time link an administrator had
    sent (services.send_password_link) and chooses it; the second factor still applies at login.
    Django's view moves the token out of the URL into the session before the form is shown."""

    template_name = "accounts/set_password.html"
    form_class = OwnPasswordForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        services.password_chosen(form.user, form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request, _("Your password is set. Log in with it and a code from your app.")
        )
        return redirect(self.success_url)


@require_POST
def logout(request):
    auth_logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@staff_required
def workspace(request):
    """The staff start page (/werkplek/): each role on its own work (ui.landing). Earlier
    modules link here instead of naming a later module's page."""
    return redirect(landing_for(request.user))
