"""The site's URLs with views that fail, for the error page tests (test_error_pages.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from integriteit.urls import handler400, handler403, handler404, handler500, urlpatterns


def fails(request):
    raise RuntimeError("Traceback bait: a secret value 4711")


def refuses(request):
    raise PermissionDenied("not for you")


def suspicious(request):
    raise SuspiciousOperation("a forged header")


urlpatterns = [
    path("test-fails/", fails),
    path("test-refuses/", refuses),
    path("test-suspicious/", suspicious),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
