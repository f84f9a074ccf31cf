"""Rendered form fields kept in memory, for forms that are the same for every visitor.

The reporter's blank form is identical for everyone who opens it for an organisation, in a
language; rendering its ~20 fields through templates is most of the
page's CPU. A view that knows its form is such a form (unbound, no initial data from a draft)
gives it a key with `cache_rendering(form, key)`: the `field` template tag then renders each
field once per key and language and reuses the HTML. The key must cover every input the
fields depend on besides the form class and the language.
Nothing personal ever lands here: only unbound fields without errors, no CSRF token.
"""

import threading
from typing import Any

from django.forms import BoundField, Form
from django.utils.safestring import SafeString
from django.utils.translation import get_language

_ATTRIBUTE = "_integriteit_render_key"
# Bounded: old keys are dropped wholesale.
MAX_ENTRIES = 2048
_rendered: dict[tuple, SafeString] = {}
_lock = threading.Lock()


def cache_rendering(form: Form, key: tuple) -> None:
    """Allow the fields of this unbound form to come from the cache under `key`."""
    if form.is_bound:
        raise ValueError("Only unbound forms can be rendered from the cache.")
    setattr(form, _ATTRIBUTE, (type(form).__module__, type(form).__qualname__, *key))


def field_key(bound_field: BoundField, options: dict[str, Any]) -> tuple | None:
    form_key = getattr(bound_field.form, _ATTRIBUTE, None)
    if form_key is None or bound_field.form.is_bound:
        return None
    try:
        extra = tuple(sorted(options.items()))
        hash(extra)
    except TypeError:
        return None
    return (*form_key, get_language(), bound_field.html_name, extra)


def get(key: tuple) -> SafeString | None:
    return _rendered.get(key)


def put(key: tuple, html: SafeString) -> None:
    with _lock:
        if len(_rendered) >= MAX_ENTRIES:
            _rendered.clear()
        _rendered[key] = html


def clear() -> None:
    with _lock:
        _rendered.clear()
