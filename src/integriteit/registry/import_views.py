"""Pages of the import of an earlier register (docs/registry-import.md): upload, column mapping
and dry run, the import with its progress. Only the coordinators of the job's organisation reach
a job; for everyone else every URL here is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.accounts.decorators import staff_required

from . import import_files, import_rows, imports
from .access import organisations_for_entries
from .constants import ImportRowStatus, ImportStatus
from .import_forms import MappingForm, RunForm, UploadForm

PAGE_SIZE = 50
REFRESH_SECONDS = 3


def _organisations(request):
    organisations = organisations_for_entries(request.user)
    if not organisations.exists():
        raise Http404
    return organisations


def _job(request, pk: int):
    return get_object_or_404(imports.jobs_visible_to(request.user), pk=pk)


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


@staff_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    organisations = _organisations(request)
    form = UploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.start(
                request.user, form.cleaned_data["organisation"], upload.name, upload.read()
            )
        except import_files.ImportRefused as refused:
            form.add_error("file", refused.message)
        else:
            return redirect("registry:import_job", pk=job.pk)
    jobs = imports.jobs_visible_to(request.user).select_related("organisation")[:20]
    return render(request, "registry/import_start.html", {"form": form, "jobs": jobs})


@staff_required
def import_job(request, pk: int):
    job = _job(request, pk)
    context: dict = {"job": job, "statuses": ImportStatus}
    if job.status in (ImportStatus.MAPPING, ImportStatus.CHECKED):
        context["mapping_form"] = MappingForm(job=job, samples=imports.samples(job))
    if job.status == ImportStatus.CHECKED:
        only_errors = request.GET.get("alleen") == "fouten"
        rows = job.rows.order_by("number")
        if only_errors:
            rows = rows.filter(status=ImportRowStatus.INVALID)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
        labels = dict(import_rows.FIELDS)
        context.update(
            page=page,
            only_errors=only_errors,
            shown=[
                (row, [(labels.get(field, field), m) for field, m in row.errors.items()])
                for row in page
            ],
            run_form=RunForm(),
        )
    if job.status == ImportStatus.IMPORTING:
        context["refresh"] = REFRESH_SECONDS
    return render(request, "registry/import_job.html", context)


@staff_required
@require_POST
def import_mapping(request, pk: int):
    job = _job(request, pk)
    form = MappingForm(request.POST, job=job, samples=imports.samples(job))
    if form.is_valid():
        try:
            imports.check(
                request.user, job, form.cleaned_data["mapping"], form.cleaned_data["version"]
            )
        except import_files.ImportRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The file was checked. Nothing has been imported yet."))
        return redirect("registry:import_job", pk=job.pk)
    return render(
        request,
        "registry/import_job.html",
        {"job": job, "statuses": ImportStatus, "mapping_form": form},
        status=400,
    )


@staff_required
@require_POST
def import_run(request, pk: int):
    job = _job(request, pk)
    form = RunForm(request.POST)
    form.is_valid()
    if not _confirmed(request):
        messages.error(
            request,
            _("Nothing was imported. Tick “I understand this cannot be undone” to confirm."),
        )
        return redirect("registry:import_job", pk=job.pk)
    try:
        job = imports.start_import(
            request.user, job, only_valid=form.cleaned_data.get("only_valid", False)
        )
    except import_files.ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("registry:import_job", pk=job.pk)
    # Small files are done here; the rest is left to `run_imports`, the page shows the progress.
    imports.process(job, budget_seconds=imports.REQUEST_BUDGET_SECONDS)
    return redirect("registry:import_job", pk=job.pk)


@staff_required
@require_POST
def import_cancel(request, pk: int):
    job = _job(request, pk)
    try:
        imports.cancel(request.user, job)
    except import_files.ImportRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The import was cancelled; the rows of the file were removed."))
    return redirect("registry:import_start")
