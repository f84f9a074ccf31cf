from django.utils.functional import SimpleLazyObject

from .selectors import unread_report_ids


def unread(request):
    """`unread_report_ids`: the cases with an unread notification for the user (the work queue
    marks them). Lazy: asked only by a page that uses it."""
    user = getattr(request, "user", None)
    return {"unread_report_ids": SimpleLazyObject(lambda: unread_report_ids(user))}
