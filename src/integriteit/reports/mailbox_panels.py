"""Extension point: apps that build on the reporting channel add sections to the mailbox.

The mailbox (/postbus/) belongs to `reports`, and `reports` imports no later module. A later
module (case handling, for one) registers a panel here, usually in its AppConfig.ready(). A panel
is a callable `(request, report) -> str | SafeString | None`; the mailbox page renders the
panels in the order they were registered, below the deadlines. A panel returns None (or an empty
string) when it has nothing to show. Plain strings are escaped; return a SafeString (for example
from render_to_string) for markup. Panels run for the reporter, so they must never show staff
names, and they get only the one report the mailbox session belongs to.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from integriteit.ui.integrity import for_display, unreadable_note

from .models import Report

Panel = Callable[[HttpRequest, Report], "str | SafeString | None"]

_panels: list[Panel] = []


def register(panel: Panel) -> Panel:
    """Add a panel (idempotent, so a repeated ready() does not show it twice); usable as a
    decorator."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def unregister(panel: Panel) -> None:
    if panel in _panels:
        _panels.remove(panel)


def registered() -> tuple[Panel, ...]:
    return tuple(_panels)


def render_panels(request: HttpRequest, report: Report) -> list[SafeString]:
    """The HTML of every panel that has something to show, in registration order."""
    rendered = []
    for panel in _panels:
        # A panel whose record fails its integrity check shows a note; the mailbox stays up.
        html = for_display(panel, unreadable_note)(request, report)
        if html:
            rendered.append(conditional_escape(html))
    return rendered
