from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache


def home(request):
    return render(request, "ui/home.html")


def workspace(request):
    """The staff start page, wherever the installation puts it (LOGIN_REDIRECT_URL). Earlier
    modules link here instead of naming a later module's page."""
    return redirect(settings.LOGIN_REDIRECT_URL)


@never_cache
def healthz(request):
    """Liveness and database reachability, as JSON for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})
