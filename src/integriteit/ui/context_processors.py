from integriteit.access.rules import is_staff_member, is_verified_staff

from .navigation import entries_for
from .pages import is_staff_page


def _navigation(user) -> dict:
    """What the header shows: the registered entries this user sees (ui.navigation), and
    whether they are in the staff workspace (the log-out button)."""
    verified = bool(user and is_verified_staff(user))
    return {
        "navigation": entries_for(user),
        "is_staff_workspace": verified and is_staff_member(user),
    }


def _page(request) -> dict:
    # Pages rendered without a request (the error pages) are not staff pages: the reporter's
    # footer, where else to go, shows there too.
    return {"is_staff_page": is_staff_page(request)}


def site(request):
    """The header's links, computed once per request and user (kept on the request: a view
    that renders more than one template asks the database once)."""
    user = getattr(request, "user", None)
    key = (getattr(user, "pk", None), bool(user and is_verified_staff(user)))
    cached = getattr(request, "_integriteit_navigation", None)
    if cached is None or cached[0] != key:
        cached = (key, _navigation(user))
        request._integriteit_navigation = cached
    return cached[1] | _page(request)
