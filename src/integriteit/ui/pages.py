"""Which pages are staff pages: those of the workspace and its login. The reporter's footer
(where else to report, the confidential advisers) is for the reporter's side and the public
pages, and is left off staff pages (issue 10 "Visual finish")."""

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable)


def staff_page(view: View) -> View:
    """Mark a view as a staff page. `accounts.decorators.staff_required` marks every view it
    guards; decorators built with functools.wraps keep the mark."""
    view.staff_page = True  # type: ignore[attr-defined]
    return view


def is_staff_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(getattr(getattr(match, "func", None), "staff_page", False))
