"""Every page fails closed while the key document does not fit the database (issue 8 item 4).

Instead of sealing a report under a KEK nobody keeps, calling a valid receipt code unknown, or
showing a report to the person it names, every page answers 503 "temporarily unavailable" until
the process is restarted with the right document. `/healthz` answers for itself (as JSON, with the
reason), so load balancers take the server out of the pool.
"""

from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from .keycheck import KeyCheckFailed, checked_keyring

RETRY_AFTER_SECONDS = 300


def unavailable(request) -> HttpResponse:
    # No context processors: the header's links would ask the access rules, which need the keys.
    page = render_to_string("ui/unavailable.html", {"request": request})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class KeyCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != reverse("healthz"):
            try:
                checked_keyring()  # once per process after it passed; then free
            except (KeyCheckFailed, DatabaseError):
                return unavailable(request)
        return self.get_response(request)
