"""The adviser's own conversation log (issue 5 §3–4): a list with filters, new and edit forms,
and "register a report on behalf of this employee". Only the author ever reaches an entry;
for everyone else every URL here is a 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.accounts.decorators import staff_required
from integriteit.reports.constants import Channel

from .. import log as services
from .. import selectors
from ..access import adviser_of
from ..log_forms import ConversationLogForm, LogFilterForm

PAGE_SIZE = 25


def _adviser(request):
    adviser = adviser_of(request.user)
    if adviser is None:
        raise Http404
    return adviser


def _entry(request, entry_id: int):
    return get_object_or_404(selectors.log_of(request.user), pk=entry_id)


@staff_required
def log_list(request):
    adviser = _adviser(request)
    filters = LogFilterForm(request.GET or None, years=selectors.log_years(request.user))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.log_of(
        request.user, year=chosen.get("year") or None, theme=chosen.get("theme") or ""
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "advisers/log.html",
        {
            "adviser": adviser,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def log_new(request):
    adviser = _adviser(request)
    form = ConversationLogForm(
        request.POST or None, organisations=selectors.log_organisations(adviser)
    )
    if request.method == "POST" and form.is_valid():
        services.record_conversation(request.user, form.to_input())
        messages.success(request, _("The conversation was added to your log."))
        return redirect("advisers:log")
    return render(request, "advisers/log_form.html", {"form": form, "entry": None})


@staff_required
@require_http_methods(["GET", "POST"])
def log_edit(request, entry_id: int):
    adviser = _adviser(request)
    entry = _entry(request, entry_id)
    initial = {
        "held_on": entry.held_on,
        "theme": entry.theme,
        "organisation": entry.organisation_id,
        "unit": entry.unit_id,
        "conversations": entry.conversations,
        "referrals": entry.referrals,
        "report_followed": entry.report_followed,
    }
    if request.method == "GET":
        initial["notes"] = services.shown_notes_of(request.user, entry)
    form = ConversationLogForm(
        request.POST or None, initial=initial, organisations=selectors.log_organisations(adviser)
    )
    if request.method == "POST" and form.is_valid():
        services.update_conversation(request.user, entry, form.to_input())
        messages.success(request, _("The log entry was saved."))
        return redirect("advisers:log")
    return render(request, "advisers/log_form.html", {"form": form, "entry": entry})


@staff_required
@require_POST
def log_delete(request, entry_id: int):
    _adviser(request)
    entry = _entry(request, entry_id)
    services.delete_conversation(request.user, entry)
    messages.success(request, _("The log entry was deleted."))
    return redirect("advisers:log")


@staff_required
@require_http_methods(["GET", "POST"])
def log_on_behalf(request, entry_id: int):
    """Explain, then send the adviser to the staff registration, prefilled with the channel
    "via a confidential adviser" and the entry's organisation (issue 5 §4)."""
    _adviser(request)
    entry = _entry(request, entry_id)
    if request.method == "POST":
        request.session[services.ON_BEHALF_KEY] = entry.pk
        query = urlencode(
            {"organisation": entry.organisation_id, "channel": Channel.CONFIDENTIAL_ADVISER}
        )
        return redirect(f"{reverse('reports:register')}?{query}")
    return render(request, "advisers/log_on_behalf.html", {"entry": entry})
