"""Privacy on the reporter's path (SECURITY.md "Nothing that identifies a reporter").

The reporter's pages are never cached by browsers or proxies, and the request loses the client
address, user agent and referrer before any view, log or error report can see them. Staff pages
keep nothing of these either: the application has no use for them.
"""

from django.utils.cache import add_never_cache_headers

IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
)


class ReporterPrivacyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key in IDENTIFYING_META:
            request.META.pop(key, None)
        # Axes and other code expect an address; give them one that identifies no one.
        request.META["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
