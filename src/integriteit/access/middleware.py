"""Each user's role rows are read and their seals checked once per request (access.rules)."""

from .rules import roles_read_once


class RolesPerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with roles_read_once():
            return self.get_response(request)
