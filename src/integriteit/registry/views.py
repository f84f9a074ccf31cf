"""The integrity coordinator's registry pages (issue 11 §1, §7): the list of every entry of her
organisation(s), an entry with its change history, registering a case handled outside the system,
and correcting an entry. Everything starts at `access.entries_visible_to`; an entry of another
organisation, or an id that is no id, is a page that is not there (404), as the whole registry is
to anyone who keeps none."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from integriteit.accounts.decorators import staff_required
from integriteit.audit.services import Actor, record
from integriteit.figures import exports

from . import access, selectors, services
from .constants import EntrySource
from .entries import values_of
from .forms import EntryForm, FilterForm, YearForm
from .rows import ValueNames, change_lines, export_row, header, row_of

PAGE_SIZE = 50
EXPORT_KINDS = ("csv", "xlsx")


def _organisations(user):
    organisations = access.organisations_for_entries(user)
    if not organisations.exists():
        raise Http404
    return organisations


def _filtered(request):
    organisations = _organisations(request.user)
    form = FilterForm(request.GET or None, organisations=organisations)
    filters = form.filters()
    on = filters.on or timezone.localdate()
    return form, on, selectors.registry_list(request.user, filters, on)


@require_safe
@staff_required
def registry_list(request):
    form, on, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {
            "form": form,
            "on": on,
            "page": page,
            "rows": [row_of(entry, on) for entry in page.object_list],
            "query_string": query.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


@require_safe
@staff_required
def registry_export(request, kind: str):
    if kind not in EXPORT_KINDS:
        raise Http404
    _form, on, entries = _filtered(request)
    rows = [header()] + [export_row(row_of(entry, on)) for entry in entries]
    record(
        Actor.of(request.user),
        "registry.exported",
        "registry",
        "list",
        {"format": kind, "rows": len(rows) - 1, "filters": request.GET.dict(), "on": on},
    )
    name = f"register-{on.isoformat()}"
    if kind == "csv":
        return exports.csv_download(name, rows)
    return exports.xlsx_download(name, _("Registry"), rows)


@require_safe
@staff_required
def entry_detail(request, entry_id: str):
    entry = selectors.entry_for(request.user, entry_id)
    on = timezone.localdate()
    names = ValueNames()
    return render(
        request,
        "registry/detail.html",
        {
            "entry": entry,
            "row": row_of(entry, on),
            "on": on,
            "correctable": selectors.correctable(entry),
            "changes": [
                (change, change_lines(change, names)) for change in selectors.changes_of(entry)
            ],
        },
    )


def _year(request, default: int) -> int:
    year_form = YearForm(request.GET if "jaar" in request.GET else None)
    if year_form.is_bound and year_form.is_valid():
        return year_form.cleaned_data["jaar"]
    posted = request.POST.get("year", "")
    if posted.isdigit() and int(posted) in dict(YearForm().fields["jaar"].choices):
        return int(posted)
    return default


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def entry_new(request):
    organisations = _organisations(request.user)
    year = _year(request, timezone.localdate().year)
    form = EntryForm(request.POST or None, organisations=organisations, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.register_entry(
                request.user, form.values(), reason=form.cleaned_data["reason"]
            )
        except services.EntryInvalid as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, _("The case was added to the registry."))
            return redirect("registry:detail", entry_id=entry.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "year": year,
            "year_form": YearForm(initial={"jaar": year}),
            "entry": None,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def entry_correct(request, entry_id: str):
    entry = selectors.entry_for(request.user, entry_id)
    if not selectors.correctable(entry):
        # The page says why; a correction posted all the same is refused with it (409).
        status = 409 if request.method == "POST" else 200
        return render(request, "registry/not_correctable.html", {"entry": entry}, status=status)
    system = entry.source == EntrySource.SYSTEM
    default = timezone.localdate().year if system else entry.received_on.year
    year = _year(request, default)
    form = EntryForm(
        request.POST or None,
        organisations=access.organisations_for_entries(request.user),
        fixed_organisation=entry.organisation,
        year=year,
        values=values_of(entry),
        reason_required=True,
        lists_follow_receipt=not system,
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.correct_entry(
                request.user, entry, form.values(), reason=form.cleaned_data["reason"]
            )
        except services.EntryInvalid as invalid:
            form.add_problems(invalid.problems)
        else:
            if change is None:
                messages.info(request, _("Nothing was changed: the values are the same."))
            else:
                messages.success(request, _("The correction was saved."))
            return redirect("registry:detail", entry_id=entry.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "year": year,
            "year_form": None if system else YearForm(initial={"jaar": year}),
            "entry": entry,
        },
    )
