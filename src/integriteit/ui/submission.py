"""One way for every staff form to end: success → message and redirect; bad input → the same
page again with the form as typed, the reasons beside it and in a message (SYSTEM.md "Bad
input": a clear message, keep what the user typed, lose nothing stored); a refusal by a rule →
a redirect with the reasons in a message, unless the user typed text that a redirect would lose
(docs/workspace.md "After a post")."""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.widgets import DateTimeBaseInput
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def reasons_of(error: Exception) -> list[str]:
    """The user-facing reasons of a refusal (`.reasons` of a step refusal, a ValidationError's
    messages, or the exception's own message)."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    if isinstance(error, PermissionDenied):
        return [_("You do not have the role for this.")]
    reasons: Iterable = getattr(error, "reasons", None) or [str(error)]
    return [str(reason) for reason in reasons]


def typed_text(form) -> bool:
    """Whether the user typed text into `form` (a text field or area that is not blank): what a
    redirect would lose. Choices, dates, numbers and ticks are not typed text; they are shown
    again by the page as it stands (docs/workspace.md "After a post")."""
    if form is None:
        return False
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, DateTimeBaseInput) or field.disabled:
            continue  # a date or time is chosen, not typed text
        typed = str(form.data.get(form.add_prefix(name), "")).strip()
        if typed and isinstance(widget, forms.Textarea | forms.TextInput):
            return True
    return False


def refuse_with_redirect(request, reasons: Iterable, to: str):
    """A refusal by a rule (not bad input): the reasons in a message on the page `to`, and a
    redirect there, so the browser does not stay on the POST address, where a reload would
    post again (issue 10)."""
    messages.error(
        request, _("Not possible: %(reasons)s") % {"reasons": " ".join(map(str, reasons))}
    )
    return redirect(to)


def show_refusal(request, form, error: Exception | None = None) -> None:
    if error is None:
        messages.error(request, _("Not saved: check the fields marked below."))
        return
    reasons = reasons_of(error)
    if form is not None:
        for reason in reasons:
            form.add_error(None, reason)
    messages.error(request, _("Not possible: %(reasons)s") % {"reasons": " ".join(reasons)})


def handle_form(
    request,
    form,
    call: Callable[[dict], object],
    *,
    refusals: tuple[type[Exception], ...],
    success: str,
    on_success: Callable[[], object],
    on_refusal: Callable[[object], object],
    redirect_to: str | None = None,
    redirect_on: tuple[type[Exception], ...] = (),
):
    """Validate `form`, run `call(cleaned_data)` (the service), and answer either way. A refusal
    by a rule (one of `redirect_on`: the action is not open now, whatever the input, and so its
    form is not on the page) answers a redirect to `redirect_to` with the reasons (issue 10);
    bad input, and any other refusal, show the page again with the form as typed."""
    if not form.is_valid():
        show_refusal(request, form)
        return on_refusal(form)
    try:
        call(form.cleaned_data)
    except refusals as error:
        if redirect_to and isinstance(error, redirect_on):
            return refuse_with_redirect(request, reasons_of(error), redirect_to)
        show_refusal(request, form, error)
        return on_refusal(form)
    messages.success(request, success)
    return on_success()
