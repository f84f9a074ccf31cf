"""The annual return pages and the published figures (issue 11 §3–6): thin views over
`returns` (writes and reads with access) and `published` (the suppressed tables). A page the
user may not see is a 404, as a write the services refuse."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from integriteit.accounts.decorators import staff_required
from integriteit.figures import exports
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Kind

from . import access, own_figures, published, returns
from .constants import ReturnStatus
from .models import AnnualReturn, Publication


def _denied_as_404(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None

    return wrapper


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


@staff_required
@_denied_as_404
def return_list(request):
    """The returns the user sees: her own organisation's (open one for a year) and, for a
    validator, those to validate, per organisation and year with their status."""
    own = access.organisations_to_submit(request.user)
    visible = access.organisations_for_returns(request.user)
    if not visible.exists():
        raise Http404
    if request.method == "POST":
        organisation = own.filter(pk=request.POST.get("organisation")).first()
        if organisation is None:
            raise Http404
        year = _year(request.POST.get("year"), timezone.localdate().year - 1)
        annual_return = returns.open_return(request.user, organisation, year)
        return redirect("registry:return_detail", annual_return.pk)
    validate = set(access.organisations_to_validate(request.user).values_list("pk", flat=True))
    rows = [
        {"return": r, "can_validate": r.organisation_id in validate}
        for r in returns.returns_visible_to(request.user).order_by("-year", "organisation__name")
    ]
    return render(
        request,
        "registry/return_list.html",
        {
            "rows": rows,
            "own": own,
            "default_year": timezone.localdate().year - 1,
            "can_publish": access.is_government_wide_coordinator(request.user),
            "published_years": set(Publication.objects.values_list("year", flat=True)),
        },
    )


@staff_required
@_denied_as_404
def return_detail(request, pk: int):
    annual_return = returns.return_for(request.user, pk)
    can_submit = returns.may_submit(request.user, annual_return)
    inside = access.is_inside(request.user, annual_return.organisation)
    return render(
        request,
        "registry/return_detail.html",
        {
            "return": annual_return,
            # The entry changes behind a cell name entries: for the organisation's coordinators.
            "rows": returns.comparison(annual_return, with_changes=can_submit) if inside else [],
            # Outside the organisation (BZK validating) the return is seen suppressed only.
            "figures": None if inside else returns.suppressed_figures(annual_return),
            "versions": annual_return.versions.order_by("-number"),
            "can_submit": can_submit
            and annual_return.status in (ReturnStatus.DRAFT, ReturnStatus.RETURNED),
            "can_headcount": can_submit,
            "can_validate": returns.may_validate(request.user, annual_return)
            and annual_return.status == ReturnStatus.SUBMITTED,
            "fte": returns.headcount(annual_return.organisation_id, annual_return.year),
        },
    )


def _return_to_act_on(request, pk: int, may) -> AnnualReturn:
    """The return, if the user may take this step on it: one who may only see it gets the same
    404 as anyone else (the access matrix, ADR 0002)."""
    annual_return = returns.return_for(request.user, pk)
    if not may(request.user, annual_return):
        raise PermissionDenied
    return annual_return


def _back(request, annual_return: AnnualReturn, error: Exception | None = None):
    if error is not None:
        messages.error(request, str(error))
    return redirect("registry:return_detail", annual_return.pk)


@staff_required
@require_POST
@_denied_as_404
def return_submit(request, pk: int):
    annual_return = _return_to_act_on(request, pk, returns.may_submit)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm that the figures are complete before submitting."))
        return _back(request, annual_return)
    try:
        returns.submit(request.user, annual_return, request.POST.get("explanation", "")[:2000])
    except returns.ReturnError as error:
        return _back(request, annual_return, error)
    messages.success(request, _("The annual return has been submitted."))
    return _back(request, annual_return)


@staff_required
@require_POST
@_denied_as_404
def return_decide(request, pk: int):
    annual_return = _return_to_act_on(request, pk, returns.may_validate)
    remark = request.POST.get("remark", "")[:2000]
    try:
        if request.POST.get("decision") == "validate":
            returns.validate(request.user, annual_return, remark)
            messages.success(request, _("The annual return has been validated."))
        else:
            returns.send_back(request.user, annual_return, remark)
            messages.success(request, _("The annual return has been returned."))
    except returns.ReturnError as error:
        return _back(request, annual_return, error)
    return _back(request, annual_return)


@staff_required
@require_POST
@_denied_as_404
def return_reference_date(request, pk: int):
    annual_return = _return_to_act_on(request, pk, returns.may_submit)
    try:
        value = datetime.date.fromisoformat(request.POST.get("reference_date", ""))
        returns.set_reference_date(request.user, annual_return, value)
    except ValueError as error:
        message = error if isinstance(error, returns.ReturnError) else _("Enter a valid date.")
        return _back(request, annual_return, ValueError(str(message)))
    return _back(request, annual_return)


@staff_required
@require_POST
@_denied_as_404
def return_headcount(request, pk: int):
    annual_return = _return_to_act_on(request, pk, returns.may_submit)
    try:
        fte = Decimal(request.POST.get("fte", "").replace(",", "."))
        returns.set_headcount(request.user, annual_return.organisation, annual_return.year, fte)
    except (InvalidOperation, returns.ReturnError):
        return _back(request, annual_return, ValueError(_("Enter a positive number of fte.")))
    return _back(request, annual_return)


@staff_required
@require_POST
@_denied_as_404
def publish(request):
    year = _year(request.POST.get("year"), 0)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm the publication."))
        return redirect("registry:return_list")
    try:
        returns.publish(request.user, year)
    except returns.ReturnError as error:
        messages.error(request, str(error))
        return redirect("registry:return_list")
    return redirect(f"{_figures_url()}?year={year}")


def _figures_url() -> str:
    from django.urls import reverse

    return reverse("registry:figures")


def _figures(request):
    if not access.sees_published_figures(request.user):
        raise Http404
    years = list(Publication.objects.order_by("-year").values_list("year", flat=True))
    if not years:
        return None, years, {}
    year = _year(request.GET.get("year"), years[0])
    publication = Publication.objects.filter(year=year).first()
    if publication is None:
        raise Http404
    filters = {
        "organisation": request.GET.get("organisation", "")[:12],
        "type_code": request.GET.get("type", "")[:48],
        "kind": request.GET.get("kind", "")[:32],
    }
    return publication, years, filters


@staff_required
def figures(request):
    publication, years, filters = _figures(request)
    data = published.of_publication(publication, **filters) if publication else None
    organisations, types = [], []
    if publication:
        codes = {
            code
            for c in publication.cells["organisations"].values()
            for code in c["reports"]["by_type"]
        }
        labels = published._type_labels(codes, publication.year)
        types = sorted(((code, labels.get(code, code)) for code in codes), key=lambda t: t[1])
        names = published._names(
            list(publication.cells["organisations"]) + list(publication.cells["outside"])
        )
        organisations = sorted(names.items(), key=lambda item: item[1])
    return render(
        request,
        "registry/figures_page.html",
        {
            "publication": publication,
            "figures": data,
            "years": years,
            "filters": filters,
            "organisations": organisations,
            "types": types,
            "kinds": Kind.choices,
            "query": request.GET.urlencode(),
        },
    )


def _export_name(publication: Publication) -> str:
    return f"integriteit-rijk-{publication.year}"


@staff_required
def figures_csv(request):
    publication, _years, filters = _figures(request)
    if publication is None:
        raise Http404
    data = published.of_publication(publication, **filters)
    return exports.csv_download(_export_name(publication), published.export_rows(data))


@staff_required
def figures_xlsx(request):
    publication, _years, filters = _figures(request)
    if publication is None:
        raise Http404
    data = published.of_publication(publication, **filters)
    return exports.xlsx_download(
        _export_name(publication), str(publication.year), published.export_rows(data)
    )


def document_html(publication: Publication, data: published.Figures) -> str:
    """The annual report as self-contained HTML (Dutch), for the PDF."""
    from django.utils import translation

    with translation.override("nl"):
        return render_to_string(
            "registry/figures_document.html",
            {"publication": publication, "figures": data, "generated": timezone.localtime()},
        )


@staff_required
def figures_pdf(request):
    publication, _years, filters = _figures(request)
    if publication is None:
        raise Http404
    from django.utils import translation

    with translation.override("nl"):
        data = published.of_publication(publication, **filters)
        html = document_html(publication, data)
    return exports.pdf_download(_export_name(publication), html)


# --- Figures of my organisation (own_figures) ---------------------------------------------------

OWN_EXPORT_KINDS = ("csv", "xlsx")


def _own_figures(request) -> tuple[list[Organisation], own_figures.OwnFigures, dict]:
    """The organisation asked for (the first of the user's when none is), if the user is inside
    it; 404 for anyone else, for another organisation and for an id that is no id."""
    organisations = list(access.organisations_for_own_figures(request.user).order_by("name"))
    if not organisations:
        raise Http404
    wanted = request.GET.get("organisation", "")
    organisation = (
        next((o for o in organisations if str(o.pk) == wanted), None)
        if wanted
        else organisations[0]
    )
    if organisation is None:
        raise Http404
    filters = {
        "type_code": request.GET.get("type", "")[:48],
        "kind": request.GET.get("kind", "")[:32],
    }
    year = _year(request.GET.get("year"), own_figures.default_year())
    own = own_figures.of_organisation(request.user, organisation, year, **filters)
    return organisations, own, filters


@require_safe
@staff_required
@_denied_as_404
def own_figures_page(request):
    organisations, own, filters = _own_figures(request)
    query = request.GET.copy()
    query["organisation"] = str(own.organisation.pk)
    query["year"] = str(own.year)
    return render(
        request,
        "registry/own_figures.html",
        {
            "own": own,
            "figures": own.figures,
            "organisations": organisations,
            "years": sorted(set(own_figures.years_of(own.organisation)) | {own.year}, reverse=True),
            "filters": filters,
            "types": own.types,
            "kinds": Kind.choices,
            "query": query.urlencode(),
        },
    )


@require_safe
@staff_required
@_denied_as_404
def own_figures_export(request, kind: str):
    if kind not in OWN_EXPORT_KINDS:
        raise Http404
    _organisations, own, filters = _own_figures(request)
    own_figures.record_export(request.user, own, kind, filters)
    rows = own_figures.export_rows(own)
    name = f"integriteit-{own.organisation.slug}-{own.year}"
    if kind == "csv":
        return exports.csv_download(name, rows)
    return exports.xlsx_download(name, f"{own.name} {own.year}", rows)
