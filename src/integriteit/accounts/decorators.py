from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from integriteit.ui.pages import staff_page


def staff_required(view):
    """Logged in with password and second factor; what the user may see is up to the access
    rules, so a verified user without a role simply finds nothing."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():
            return redirect("accounts:second_factor")
        return view(request, *args, **kwargs)

    return staff_page(wrapper)
