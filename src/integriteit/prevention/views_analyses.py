"""The integrity risk analysis pages (issue 12 §1): the list, an analysis with its register and
heat maps, the forms of its processes, risks, scores, measures, acceptances and reviews, the
snapshot, next year's analysis, the comparison, the XLSX of the register and the management
report (PDF).

Everything starts at `selectors_analyses` (through `access_analyses`): the organisation's
coordinators write, its management and competent authority read; for anyone else, and for an
id that is no id, the page is not there (404). A write refused by a service shows why on the
form, with what was typed kept."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from integriteit.accounts.decorators import staff_required
from integriteit.audit.services import Actor, record
from integriteit.figures import exports

from . import access_analyses as access
from . import selectors_analyses as selectors
from . import services_analyses as services
from .forms_analyses import (
    AcceptanceForm,
    AnalysisForm,
    MeasureForm,
    NextYearForm,
    ProcessForm,
    ReviewForm,
    RiskForm,
    ScoreForm,
    SnapshotForm,
)
from .matrices import OutsideMatrix
from .register_analyses import heat_maps, register_rows
from .report_analyses import report_html

PAGE_SIZE = 25
GET_POST = ["GET", "HEAD", "POST"]


def _refusals_as_404(view):
    """A service refusing the writer (wrong role, another organisation) is a page that is not
    there, as every page here is for those who may not see it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None

    return wrapper


def _page(view):
    return require_http_methods(GET_POST)(staff_required(_refusals_as_404(view)))


def _analysis_url(analysis):
    return redirect("prevention:analyses:detail", analysis_id=analysis.pk)


@require_safe
@staff_required
def analysis_list(request):
    if not access.organisations_with_analyses(request.user).exists():
        raise Http404
    page = Paginator(selectors.analysis_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "prevention/analyses/list.html",
        {"page": page, "may_create": access.organisations_to_analyse(request.user).exists()},
    )


@_page
def analysis_new(request):
    organisations = access.organisations_to_analyse(request.user)
    if not organisations.exists():
        raise Http404
    form = AnalysisForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            analysis = services.create_analysis(
                request.user, data["organisation"], _analysis_values(data)
            )
        except services.Refused as refused:
            form.add_refusal(str(refused), refused.field)
        else:
            messages.success(request, _("The risk analysis was created."))
            return _analysis_url(analysis)
    return render(request, "prevention/analyses/form.html", {"form": form, "analysis": None})


def _analysis_values(data) -> services.AnalysisValues:
    return services.AnalysisValues(
        title=data["title"],
        year=data["year"],
        analysed_on=data["analysed_on"],
        object_kind=data["object_kind"],
        object_description=data["object_description"],
        unit=data["unit"],
        status=data["status"],
    )


@_page
def analysis_edit(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    initial = {
        name: getattr(analysis, name)
        for name in (
            "title",
            "year",
            "analysed_on",
            "object_kind",
            "object_description",
            "unit",
            "status",
        )
    }
    form = AnalysisForm(
        request.POST or None,
        initial=initial,
        organisations=access.organisations_to_analyse(request.user),
        fixed_organisation=analysis.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_analysis(request.user, analysis, _analysis_values(form.cleaned_data))
        except services.Refused as refused:
            form.add_refusal(str(refused), refused.field)
        else:
            messages.success(request, _("The risk analysis was saved."))
            return _analysis_url(analysis)
    return render(request, "prevention/analyses/form.html", {"form": form, "analysis": analysis})


@require_safe
@staff_required
def analysis_detail(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id)
    rows = selectors.register(analysis)
    today = timezone.localdate()
    return render(
        request,
        "prevention/analyses/detail.html",
        {
            "analysis": analysis,
            "may_edit": access.may_edit(request.user, analysis),
            "processes": selectors.processes_of(analysis),
            "rows": rows,
            "measures": selectors.measures_of(analysis),
            "overdue_reviews": [row for row in rows if row.review_due or row.acceptance_due],
            "overdue_measures": selectors.overdue_measures(analysis, today),
            "acceptances": [row for row in rows if row.acceptance is not None],
            "snapshots": list(analysis.snapshots.order_by("-taken_at", "-pk")),
            "heat_maps": heat_maps(analysis, rows),
            "followers": list(analysis.followers.order_by("year", "pk")),
            "questionnaires": selectors.questionnaires_of(analysis),
            "workshops": selectors.workshops_of(analysis),
            "today": today,
        },
    )


@require_safe
@staff_required
def analysis_heat_map(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id)
    # Only the counts are shown: the database counts them (bench/prevention.py).
    return render(
        request,
        "prevention/analyses/heat_map.html",
        {"analysis": analysis, "heat_maps": heat_maps(analysis)},
    )


@require_safe
@staff_required
def analysis_export(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id)
    rows = register_rows(selectors.register(analysis))
    record(
        Actor.of(request.user),
        "prevention.register_exported",
        "risk_analysis",
        analysis.pk,
        {"format": "xlsx", "rows": len(rows) - 1},
    )
    return exports.xlsx_download(
        f"risicoregister-{analysis.year}-{analysis.pk}", _("Risk register"), rows
    )


@require_safe
@staff_required
def analysis_report(request, analysis_id):
    """The management report (issue 12 §5) as PDF, in Dutch, for whoever reads the analysis."""
    analysis = selectors.analysis_for(request.user, analysis_id)
    html = report_html(analysis)
    record(
        Actor.of(request.user),
        "prevention.report_exported",
        "risk_analysis",
        analysis.pk,
        {"format": "pdf"},
    )
    return exports.pdf_download(f"managementrapportage-{analysis.year}-{analysis.pk}", html)


# --- Processes and risks ---------------------------------------------------------------------


def _process_values(form) -> dict:
    return dict(form.cleaned_data)


@_page
def process_new(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_process(request.user, analysis, _process_values(form))
        messages.success(request, _("The process was added."))
        return _analysis_url(analysis)
    return render(
        request,
        "prevention/analyses/process_form.html",
        {"form": form, "analysis": analysis, "process": None},
    )


@_page
def process_edit(request, process_id):
    process = selectors.process_for(request.user, process_id, edit=True)
    initial = {name: getattr(process, name) for name in services.PROCESS_FIELDS}
    form = ProcessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_process(request.user, process.analysis, _process_values(form), process)
        messages.success(request, _("The process was saved."))
        return _analysis_url(process.analysis)
    return render(
        request,
        "prevention/analyses/process_form.html",
        {"form": form, "analysis": process.analysis, "process": process},
    )


@_page
def risk_new(request, process_id):
    process = selectors.process_for(request.user, process_id, edit=True)
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        risk = services.save_risk(request.user, process, form.cleaned_data)
        messages.success(request, _("The risk was added. Score it on the matrix."))
        return redirect("prevention:analyses:score", risk_id=risk.pk)
    return render(
        request,
        "prevention/analyses/risk_form.html",
        {"form": form, "analysis": process.analysis, "process": process, "risk": None},
    )


@_page
def risk_edit(request, risk_id):
    risk = selectors.risk_for(request.user, risk_id, edit=True)
    initial = {name: getattr(risk, name) for name in services.RISK_FIELDS}
    form = RiskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_risk(request.user, risk.process, form.cleaned_data, risk)
        messages.success(request, _("The risk was saved."))
        return _analysis_url(risk.process.analysis)
    return render(
        request,
        "prevention/analyses/risk_form.html",
        {"form": form, "analysis": risk.process.analysis, "process": risk.process, "risk": risk},
    )


@_page
def risk_score(request, risk_id):
    risk = selectors.risk_for(request.user, risk_id, edit=True)
    analysis = risk.process.analysis
    form = ScoreForm(request.POST or None, matrix=analysis.matrix)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            score = services.score_risk(
                request.user, risk, data["kind"], data["likelihood"], data["impact"]
            )
        except (OutsideMatrix, services.Refused) as refused:
            form.add_refusal(str(refused), getattr(refused, "field", None))
        else:
            messages.success(
                request,
                _("The risk was scored: level %(level)s. %(treatment)s")
                % {"level": score.level_name, "treatment": score.treatment},
            )
            return _analysis_url(analysis)
    return render(
        request,
        "prevention/analyses/score_form.html",
        {
            "form": form,
            "analysis": analysis,
            "risk": risk,
            "scores": list(risk.scores.order_by("-created_at", "-pk")),
            "levels": list(analysis.matrix.levels.order_by("rank")),
        },
    )


# --- Measures, acceptance, review ------------------------------------------------------------


@_page
def measure_new(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    initial = {}
    if "risico" in request.GET:
        initial["risks"] = [request.GET["risico"]] if request.GET["risico"].isdigit() else []
    form = MeasureForm(request.POST or None, analysis=analysis, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        risks = data.pop("risks")
        services.save_measure(request.user, analysis, data, risks)
        messages.success(request, _("The measure was added."))
        return _analysis_url(analysis)
    return render(
        request,
        "prevention/analyses/measure_form.html",
        {"form": form, "analysis": analysis, "measure": None},
    )


@_page
def measure_edit(request, measure_id):
    measure = selectors.measure_for(request.user, measure_id, edit=True)
    analysis = measure.analysis
    initial = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
    initial["risks"] = list(measure.risks.all())
    form = MeasureForm(request.POST or None, analysis=analysis, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        risks = data.pop("risks")
        services.save_measure(request.user, analysis, data, risks, measure)
        messages.success(request, _("The measure was saved."))
        return _analysis_url(analysis)
    return render(
        request,
        "prevention/analyses/measure_form.html",
        {"form": form, "analysis": analysis, "measure": measure},
    )


@_page
def risk_accept(request, risk_id):
    risk = selectors.risk_for(request.user, risk_id, edit=True)
    form = AcceptanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_risk(request.user, risk, **form.cleaned_data)
        except services.Refused as refused:
            form.add_refusal(str(refused), refused.field)
        else:
            messages.success(request, _("The acceptance of the risk was recorded."))
            return _analysis_url(risk.process.analysis)
    return render(
        request,
        "prevention/analyses/accept_form.html",
        {
            "form": form,
            "analysis": risk.process.analysis,
            "risk": risk,
            "score": selectors.governing_score(risk),
        },
    )


@_page
def risk_review(request, risk_id):
    risk = selectors.risk_for(request.user, risk_id, edit=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_risk(request.user, risk, **form.cleaned_data)
        except services.Refused as refused:
            form.add_refusal(str(refused), refused.field)
        else:
            messages.success(request, _("The review was recorded."))
            return _analysis_url(risk.process.analysis)
    return render(
        request,
        "prevention/analyses/review_form.html",
        {"form": form, "analysis": risk.process.analysis, "risk": risk},
    )


# --- Snapshot, next year, comparison ---------------------------------------------------------


@require_POST
@staff_required
@_refusals_as_404
def analysis_snapshot(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    form = SnapshotForm(request.POST)
    if request.POST.get("confirm") != "yes" or not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the analysis is frozen now."))
        return _analysis_url(analysis)
    snapshot = services.take_snapshot(request.user, analysis, form.cleaned_data["label"])
    messages.success(request, _("The snapshot was taken."))
    return redirect("prevention:analyses:snapshot", snapshot_id=snapshot.pk)


@require_safe
@staff_required
def snapshot_detail(request, snapshot_id):
    snapshot = selectors.snapshot_for(request.user, snapshot_id)
    data = snapshot.data
    processes = {process["id"]: process["name"] for process in data.get("processes", [])}
    return render(
        request,
        "prevention/analyses/snapshot.html",
        {
            "snapshot": snapshot,
            "analysis": snapshot.analysis,
            "data": data,
            "risks": [
                {**risk, "process_name": processes.get(risk["process"], "")}
                for risk in data.get("risks", [])
            ],
        },
    )


@_page
def analysis_next_year(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    data = request.POST if request.method == "POST" else None
    form = NextYearForm(data, initial={"year": analysis.year + 1})
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            form.is_valid()
            form.add_error(None, _("Tick the box to confirm that a new analysis is started."))
        elif form.is_valid():
            try:
                new = services.start_from_previous(
                    request.user, analysis, year=form.cleaned_data["year"]
                )
            except services.Refused as refused:
                form.add_refusal(str(refused), refused.field)
            else:
                messages.success(
                    request, _("The new analysis starts from this one. Review what moved.")
                )
                return redirect("prevention:analyses:comparison", analysis_id=new.pk)
    return render(
        request, "prevention/analyses/next_year.html", {"form": form, "analysis": analysis}
    )


@require_safe
@staff_required
def analysis_comparison(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id)
    return render(
        request,
        "prevention/analyses/comparison.html",
        {"analysis": analysis, "moved": selectors.comparison(analysis)},
    )
