"""The import of an existing risk register into one analysis (risk_import.py): the upload, the
dry run listing every row with its errors, and the import of the valid rows (confirm=yes) or
its cancellation. Only the analysis's coordinators reach these pages; for anyone else, and for
an id that is no id, they are not there (404). The parsed rows (never the file) wait in the
session between the dry run and the import, and are removed after either."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from integriteit.ui.uploads import refusal_of

from . import risk_import as service
from . import selectors_analyses as selectors
from .matrices import OutsideMatrix
from .services_analyses import Refused
from .views_analyses import _page


def _session_key(analysis_id: int) -> str:
    return f"prevention.risk_import.{analysis_id}"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Risk register file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file (UTF-8, separated by semicolons or commas) or an Excel workbook (.xlsx) "
            "with one row per risk and the column names in the first row. At most %(size)s and "
            "%(rows)s rows."
        ) % {
            "size": filesizeformat(service.MAX_BYTES),
            "rows": f"{service.MAX_ROWS:,}".replace(",", "."),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if reason := refusal_of(upload):
            raise forms.ValidationError(reason)
        return upload


@_page
def risk_import(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = service.read_register(request.user, analysis, upload.name, upload.read())
        except service.ImportRefused as refused:
            form.add_error("file", refused.message)
        else:
            request.session[_session_key(analysis.pk)] = parsed.as_data()
            return redirect("prevention:risk_import_check", analysis_id=analysis.pk)
    return render(
        request,
        "prevention/risk_import.html",
        {"analysis": analysis, "form": form},
    )


@_page
def risk_import_check(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    key = _session_key(analysis.pk)
    data = request.session.get(key)
    if not data:
        messages.error(request, _("There is no file to import. Choose the file first."))
        return redirect("prevention:risk_import", analysis_id=analysis.pk)
    parsed = service.Parsed.from_data(data)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            del request.session[key]
            messages.success(request, _("The import was cancelled; nothing was imported."))
            return redirect("prevention:analyses:detail", analysis_id=analysis.pk)
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Nothing was imported. Tick the box to confirm the import."))
            return redirect("prevention:risk_import_check", analysis_id=analysis.pk)
        try:
            imported = service.import_rows(request.user, analysis, parsed)
        except (service.ImportRefused, OutsideMatrix, Refused) as refused:
            messages.error(request, getattr(refused, "message", None) or str(refused))
            return redirect("prevention:risk_import_check", analysis_id=analysis.pk)
        del request.session[key]
        messages.success(
            request,
            ngettext(
                "%(count)d risk was imported.", "%(count)d risks were imported.", imported.risks
            )
            % {"count": imported.risks},
        )
        return redirect("prevention:analyses:detail", analysis_id=analysis.pk)
    existing = {
        name.strip().casefold() for name in analysis.processes.values_list("name", flat=True)
    }
    return render(
        request,
        "prevention/risk_import_check.html",
        {
            "analysis": analysis,
            "parsed": parsed,
            "valid_count": len(parsed.valid),
            "invalid_count": len(parsed.invalid),
            "new_processes": sorted(
                {row.process for row in parsed.valid if row.process.casefold() not in existing}
            ),
        },
    )
