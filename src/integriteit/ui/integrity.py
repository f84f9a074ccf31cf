"""A stored record that fails its integrity check is skipped and flagged, never a server error
(issue 8 item 10).

One mechanism for every page that decrypts for display:

- `for_display(read, fallback)` turns a read function (`open_message_body`, `open_on`, ...) into
  its display version: a record whose ciphertext does not authenticate gives `fallback()` (for
  text: a plain note that it could not be read and was reported) and raises an integrity alert,
  so the rest of the page is shown.
- `IntegrityFailureMiddleware` catches what is left: where a page cannot be shown without the
  damaged record (a download, a page built on one sealed record, a data key that does not
  unwrap), the user gets a clear page instead of a generic server error, and the alert is raised.

Services and documents keep the strict reads: they fail closed (nothing is written or generated
from a record that could not be read).
"""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.shortcuts import render
from django.utils.translation import gettext as _

from integriteit.audit.services import integrity_alert
from integriteit.crypto.envelope import DecryptionError

P = ParamSpec("P")
T = TypeVar("T")

# The status of the clear page: the request was fine, the stored record is not (not a 500, so a
# reverse proxy shows our page and monitoring can tell it from a crash; the alert is the signal).
UNREADABLE_STATUS = 409


def unreadable_note() -> str:
    """What the page shows in place of a record that could not be read."""
    return _("This item could not be read. It has been reported to the administrators.")


def flag(error: DecryptionError) -> None:
    """Raise the integrity alert for the record `error` names (ids and field names only)."""
    located = error.record if ":" in error.record else error.owner
    object_type, _sep, object_id = located.partition(":")
    integrity_alert(
        object_type or "unknown",
        object_id,
        str(error),
        {"owner": error.owner, "record": error.record, "field": error.field},
    )


def for_display(read: Callable[P, T], fallback: Callable[[], T]) -> Callable[P, T]:
    """The display version of `read`: a damaged record gives `fallback()` and is flagged."""

    @functools.wraps(read)
    def shown(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return read(*args, **kwargs)
        except DecryptionError as error:
            flag(error)
            return fallback()

    return shown


class IntegrityFailureMiddleware:
    """A page that cannot be shown without a damaged record: a clear page and an alert."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DecryptionError):
            return None
        flag(exception)
        return render(request, "ui/unreadable.html", status=UNREADABLE_STATUS)
