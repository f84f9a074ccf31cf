"""The advisers' annual report and interim signals (issue 5 §5; seed 001 §3.7, norm 12).

Advisers of an organisation create the report and write recommendations; the competent
authority and the integrity coordinators read it; the competent authority responds and tracks
follow-up actions. Everyone sees only aggregates with small cells suppressed; anyone else gets
404.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.accounts.decorators import staff_required
from integriteit.figures import exports
from integriteit.ui.ids import primary_key

from .. import access, annual, selectors
from ..annual_forms import ActionForm, CreateReportForm, SignalForm, TextForm
from ..models import AnnualReport, InterimSignal


def _visible_report(user, pk: int) -> AnnualReport:
    return get_object_or_404(selectors.reports_visible_to(user), pk=pk)


def _denied_as_404(view):
    """A service refusing the write (wrong role or state) looks like a page that is not there,
    as every page here does for those who may not see it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None

    return wrapper


@staff_required
@_denied_as_404
def annual_list(request):
    visible = access.annual_report_organisations_visible_to(request.user)
    editable = access.annual_report_organisations_to_edit(request.user)
    if not visible.exists():
        raise Http404
    form = CreateReportForm(request.POST or None, organisations=editable)
    if request.method == "POST":
        if not editable.exists():
            raise Http404
        if form.is_valid():
            report = annual.create_report(
                request.user, form.cleaned_data["organisation"], form.cleaned_data["year"]
            )
            return redirect("advisers:annual_detail", report.pk)
    return render(
        request,
        "advisers/annual_list.html",
        {
            "reports": selectors.report_list(request.user),
            "form": form if editable.exists() else None,
        },
    )


@staff_required
def annual_detail(request, pk: int):
    report = _visible_report(request.user, pk)
    data = annual.figures(report.organisation, report.year)
    recommendations = annual.recommendations_of(report)
    return render(
        request,
        "advisers/annual_detail.html",
        {
            "report": report,
            "figures": data,
            "recommendations": recommendations,
            "can_edit": selectors.can_edit_report(request.user, report.organisation_id),
            "can_respond": selectors.can_respond_to_report(request.user, report),
            "text_form": TextForm(),
            "action_form": ActionForm(),
        },
    )


@staff_required
@require_POST
@_denied_as_404
def annual_recommend(request, pk: int):
    report = _visible_report(request.user, pk)
    if not selectors.can_edit_report(request.user, report.organisation_id):
        raise Http404  # refused before the form is read, as the page is to those who may not
    form = TextForm(request.POST)
    if form.is_valid():
        annual.add_recommendation(request.user, report, form.cleaned_data["text"])
    return redirect("advisers:annual_detail", report.pk)


@staff_required
@require_POST
@_denied_as_404
def annual_send(request, pk: int):
    report = _visible_report(request.user, pk)
    annual.send_to_authority(request.user, report)
    messages.success(request, _("The annual report was sent to the competent authority."))
    return redirect("advisers:annual_detail", report.pk)


def _recommendation_to_respond(user, pk: int):
    """Refused before the form is read: only the competent authority, once the report is sent."""
    recommendation = get_object_or_404(selectors.recommendations_visible_to(user), pk=pk)
    if not selectors.can_respond_to_report(user, recommendation.annual_report):
        raise Http404
    return recommendation


@staff_required
@require_POST
@_denied_as_404
def recommendation_respond(request, pk: int):
    recommendation = _recommendation_to_respond(request.user, pk)
    form = TextForm(request.POST)
    if form.is_valid():
        annual.respond(request.user, recommendation, form.cleaned_data["text"])
    return redirect("advisers:annual_detail", recommendation.annual_report_id)


@staff_required
@require_POST
@_denied_as_404
def action_add(request, pk: int):
    recommendation = _recommendation_to_respond(request.user, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        annual.add_action(request.user, recommendation, **form.cleaned_data)
    return redirect("advisers:annual_detail", recommendation.annual_report_id)


@staff_required
@require_POST
@_denied_as_404
def action_done(request, pk: int):
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    annual.mark_action_done(request.user, action)
    return redirect("advisers:annual_detail", action.recommendation.annual_report_id)


@staff_required
def annual_csv(request, pk: int):
    report = _visible_report(request.user, pk)
    data = annual.figures(report.organisation, report.year)
    return exports.csv_download(annual.export_name(report), annual.export_rows(data))


@staff_required
def annual_xlsx(request, pk: int):
    report = _visible_report(request.user, pk)
    data = annual.figures(report.organisation, report.year)
    return exports.xlsx_download(
        annual.export_name(report), _("Annual report"), annual.export_rows(data)
    )


@staff_required
def annual_pdf(request, pk: int):
    report = _visible_report(request.user, pk)
    data = annual.figures(report.organisation, report.year)
    return exports.pdf_download(annual.export_name(report), annual.report_html(report, data))


@staff_required
@_denied_as_404
def signals(request):
    """Interim signals: advisers raise them at any time, the competent authority answers."""
    visible = access.annual_report_organisations_visible_to(request.user)
    editable = access.annual_report_organisations_to_edit(request.user)
    if not visible.exists():
        raise Http404
    form = SignalForm(request.POST or None, organisations=editable)
    if request.method == "POST":
        if "signal" in request.POST:
            signal = get_object_or_404(
                selectors.signals_visible_to(request.user),
                pk=primary_key(InterimSignal, request.POST["signal"]),
            )
            answer = TextForm(request.POST)
            if answer.is_valid():
                annual.answer_signal(request.user, signal, answer.cleaned_data["text"])
            return redirect("advisers:signals")
        if not editable.exists():
            raise Http404
        if form.is_valid():
            annual.raise_signal(
                request.user, form.cleaned_data["organisation"], form.cleaned_data["text"]
            )
            messages.success(request, _("The signal was sent to the competent authority."))
            return redirect("advisers:signals")
    answerable = selectors.signals_to_answer(request.user)
    items = [
        (annual.open_signal(signal), signal.pk in answerable)
        for signal in selectors.signals_visible_to(request.user)
    ]
    return render(
        request,
        "advisers/annual_signals.html",
        {"items": items, "form": form if editable.exists() else None, "answer_form": TextForm()},
    )
