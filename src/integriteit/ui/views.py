"""Pages of no particular module: the start page, the health check,
and the error pages, among them the one shown while the database is unreachable."""

import re
import sys

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import never_cache

from integriteit.crypto.keycheck import KeyCheckFailed, checked_keyring

# Seconds a client (or a reporter, told "in a few minutes") should wait before trying again.
OUTAGE_RETRY_AFTER_SECONDS = 60
# Posted fields never shown back on the outage page: secrets and form machinery.
_NOT_SHOWN_FIELDS = re.compile(r"password|token|csrf|otp|code", re.IGNORECASE)
# Values no one typed: choice values, check boxes, ids.
_MACHINE_VALUE = re.compile(r"[a-z_]{1,40}|\d{1,2}|[0-9a-f-]{36}")


def home(request):
    return render(request, "ui/home.html")


@never_cache
def healthz(request):
    """Liveness, database reachability and whether the key document fits the database (ADR
    0011), as JSON for load balancers and monitoring. The reason names keys and KEK versions,
    never key material."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checked_keyring()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    except KeyCheckFailed as failure:
        return JsonResponse(
            {
                "status": "error",
                "database": "ok",
                "keys": failure.kind,
                "reason": failure.public_reason,
            },
            status=503,
        )
    return JsonResponse(
        {"status": "ok", "database": "ok", "keys": "ok", "vendor": connection.vendor}
    )


def _is_database_outage(error: BaseException | None) -> bool:
    """The database could not be reached or the connection broke (connection refused, server
    closed the connection, terminated by a restart), anywhere in the chain of causes: a
    session that cannot be saved reaches us as SessionInterrupted, raised from the
    database's error."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _typed_text(request) -> list[str]:
    """What the user typed into the form she posted, so the outage page can give it back."""
    if request.method != "POST":
        return []
    try:
        posted = request.POST
    except (SuspiciousOperation, MultiPartParserError, OSError):
        return []  # a body that cannot be read holds nothing we can give back
    typed = []
    for name, values in posted.lists():
        if _NOT_SHOWN_FIELDS.search(name):
            continue
        for value in values:
            text = value.strip()
            if text and not _MACHINE_VALUE.fullmatch(text):
                typed.append(text)
    return typed


def outage_response(request) -> HttpResponse:
    """503 in the page's language, rendered without the database: no session, no messages, no
    context processors (render_to_string without a request). ADR 0007."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("503.html", {"typed": _typed_text(request)})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a database outage gets the page that says what to do; anything else the
    plain 500 page."""
    if _is_database_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request)


def bad_request(request, exception):
    """handler400: Django turns a session it could not save into a 400 (SessionInterrupted);
    when the database was the reason, that is an outage too."""
    if _is_database_outage(exception):
        return outage_response(request)
    return defaults.bad_request(request, exception)
