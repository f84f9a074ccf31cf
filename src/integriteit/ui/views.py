from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from integriteit.crypto.keycheck import KeyCheckFailed, checked_keyring


def home(request):
    return render(request, "ui/home.html")


def workspace(request):
    """The staff start page, wherever the installation puts it (LOGIN_REDIRECT_URL). Earlier
    modules link here instead of naming a later module's page."""
    return redirect(settings.LOGIN_REDIRECT_URL)


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
