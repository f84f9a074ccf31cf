"""The advisers' annual report and interim signals (issue 5 §5; seed 001 §3.7, norm 12).

Advisers of an organisation create the report and write recommendations; the competent
authority and the integrity coordinators read it; the competent authority responds and tracks
follow-up actions. Everyone sees only aggregates with small cells suppressed; anyone else gets
404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.accounts.decorators import staff_required
from integriteit.figures import exports
from integriteit.ui.ids import primary_key

from .. import access, annual
from ..annual_forms import ActionForm, CreateReportForm, SignalForm, TextForm
from ..models import AnnualReport, FollowUpAction, InterimSignal, Recommendation


def _visible_report(user, pk: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("organisation"),
        pk=pk,
        organisation__in=access.annual_report_organisations_visible_to(user),
    )


def _can_edit(user, report: AnnualReport) -> bool:
    return (
        access.annual_report_organisations_to_edit(user).filter(pk=report.organisation_id).exists()
    )


def _can_respond(user, report: AnnualReport) -> bool:
    return (
        report.sent_to_authority_at is not None
        and access.annual_report_organisations_to_respond(user)
        .filter(pk=report.organisation_id)
        .exists()
    )


@staff_required
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
                form.cleaned_data["organisation"], form.cleaned_data["year"], request.user
            )
            return redirect("advisers:annual_detail", report.pk)
    reports = (
        AnnualReport.objects.filter(organisation__in=visible)
        .select_related("organisation")
        .order_by("organisation__name", "-year")
    )
    return render(
        request,
        "advisers/annual_list.html",
        {"reports": reports, "form": form if editable.exists() else None},
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
            "can_edit": _can_edit(request.user, report),
            "can_respond": _can_respond(request.user, report),
            "text_form": TextForm(),
            "action_form": ActionForm(),
        },
    )


@staff_required
@require_POST
def annual_recommend(request, pk: int):
    report = _visible_report(request.user, pk)
    if not _can_edit(request.user, report):
        raise Http404
    form = TextForm(request.POST)
    if form.is_valid():
        annual.add_recommendation(report, form.cleaned_data["text"])
    return redirect("advisers:annual_detail", report.pk)


@staff_required
@require_POST
def annual_send(request, pk: int):
    report = _visible_report(request.user, pk)
    if not _can_edit(request.user, report):
        raise Http404
    annual.send_to_authority(report)
    messages.success(request, _("The annual report was sent to the competent authority."))
    return redirect("advisers:annual_detail", report.pk)


def _recommendation_to_respond(user, pk: int) -> Recommendation:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("annual_report"),
        pk=pk,
        annual_report__organisation__in=access.annual_report_organisations_visible_to(user),
    )
    if not _can_respond(user, recommendation.annual_report):
        raise Http404
    return recommendation


@staff_required
@require_POST
def recommendation_respond(request, pk: int):
    recommendation = _recommendation_to_respond(request.user, pk)
    form = TextForm(request.POST)
    if form.is_valid():
        annual.respond(recommendation, form.cleaned_data["text"], request.user)
    return redirect("advisers:annual_detail", recommendation.annual_report_id)


@staff_required
@require_POST
def action_add(request, pk: int):
    recommendation = _recommendation_to_respond(request.user, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        annual.add_action(recommendation, **form.cleaned_data)
    return redirect("advisers:annual_detail", recommendation.annual_report_id)


@staff_required
@require_POST
def action_done(request, pk: int):
    action = get_object_or_404(FollowUpAction.objects.select_related("recommendation"), pk=pk)
    _recommendation_to_respond(request.user, action.recommendation_id)
    action.done_at = timezone.now()
    action.save(update_fields=["done_at"])
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
def signals(request):
    """Interim signals: advisers raise them at any time, the competent authority answers."""
    visible = access.annual_report_organisations_visible_to(request.user)
    editable = access.annual_report_organisations_to_edit(request.user)
    answering = access.annual_report_organisations_to_respond(request.user)
    if not visible.exists():
        raise Http404
    form = SignalForm(request.POST or None, organisations=editable)
    if request.method == "POST":
        if "signal" in request.POST:
            signal = get_object_or_404(
                InterimSignal,
                pk=primary_key(InterimSignal, request.POST["signal"]),
                organisation__in=answering,
            )
            answer = TextForm(request.POST)
            if answer.is_valid():
                annual.answer_signal(signal, answer.cleaned_data["text"])
            return redirect("advisers:signals")
        if not editable.exists():
            raise Http404
        if form.is_valid():
            annual.raise_signal(
                form.cleaned_data["organisation"], form.cleaned_data["text"], request.user
            )
            messages.success(request, _("The signal was sent to the competent authority."))
            return redirect("advisers:signals")
    answerable = set(answering.values_list("pk", flat=True))
    items = [
        (
            annual.open_signal(signal),
            signal.organisation_id in answerable and not signal.responded_at,
        )
        for signal in InterimSignal.objects.filter(organisation__in=visible)
        .select_related("organisation")
        .order_by("-raised_at")
    ]
    return render(
        request,
        "advisers/annual_signals.html",
        {"items": items, "form": form if editable.exists() else None, "answer_form": TextForm()},
    )
