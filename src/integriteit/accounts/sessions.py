"""How long a staff session lives (issue 8 item 12).

Django's session expiry slides: every change to the session (a flash message, a form step)
moves `expire_date` SESSION_COOKIE_AGE further, so an active user stayed logged in forever. A
staff session therefore carries the moment of login and of the last request, and ends

- STAFF_SESSION_MAX_AGE seconds (8 hours) after login, however active the user is, and
- after STAFF_SESSION_IDLE_MINUTES without a request (0: no idle limit).

A session without a login moment (made before this check existed, or altered) counts as ended:
the check fails closed. The reporter's mailbox session has no logged-in user and is left alone.
"""

from django.conf import settings
from django.contrib import auth, messages
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT_KEY = "staff_login_at"
LAST_SEEN_KEY = "staff_last_seen"
# The idle clock is written at most this often, so a busy user does not write the session on
# every request.
LAST_SEEN_RESOLUTION = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def stamp_login(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_in`, for every way in: the login page, the admin, tests."""
    if request is not None:
        request.session[LOGIN_AT_KEY] = request.session[LAST_SEEN_KEY] = _now()


def has_ended(session) -> bool:
    login_at, last_seen = session.get(LOGIN_AT_KEY), session.get(LAST_SEEN_KEY)
    if not isinstance(login_at, int) or not isinstance(last_seen, int):
        return True
    now = _now()
    if now - login_at >= settings.STAFF_SESSION_MAX_AGE:
        return True
    idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
    return bool(idle) and now - last_seen >= idle


class StaffSessionMiddleware:
    """After MessageMiddleware. An ended session is logged out before the view runs, so the view
    sees an anonymous user (staff pages then send to the login page) and a message says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Without a session cookie there is nothing to check (and the session stays untouched).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and auth.SESSION_KEY in session:
            if has_ended(session):
                auth.logout(request)
                # OTPMiddleware gave the user it saw `is_verified`; the anonymous user that
                # replaces it gets the same answer an anonymous user always gets.
                request.user.otp_device = None
                request.user.is_verified = lambda: False
                messages.info(request, _("Your session has ended. Log in again to continue."))
            elif _now() - session[LAST_SEEN_KEY] >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_KEY] = _now()
        return self.get_response(request)
