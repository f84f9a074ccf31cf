"""The coordinator's work overview (issue 3 §7). Thin: reads in cases.dashboard, which starts
from the access rules; the filters are cases.filters."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.access.rules import Action, reports_visible_to
from integriteit.accounts.decorators import staff_required
from integriteit.organisations.models import Unit
from integriteit.reports.selectors import report_for
from integriteit.ui.ids import primary_key

from .. import units
from ..dashboard import dashboard as dashboard_selector
from ..dashboard import filter_options
from ..filters import DashboardFilterForm
from ..services import CaseError


@staff_required
def overview(request):
    visible = reports_visible_to(request.user)  # the access rule, resolved once per request
    organisations, units = filter_options(request.user, visible)
    form = DashboardFilterForm(request.GET or None, organisations=organisations, units=list(units))
    filters = form.cleaned_data if form.is_valid() else {}
    organisation = filters.get("organisation")
    overview = dashboard_selector(request.user, organisation, filters.get("units"), visible=visible)
    # The same filters carried to the queue (phase links, search).
    carried = {}
    if organisation is not None:
        carried["organisation"] = organisation.pk
    if filters.get("unit"):
        carried["unit"] = filters["unit"]
    queue_url = reverse("cases:queue")
    for phase in overview.phases:
        phase.url = f"{queue_url}?{urlencode({**carried, 'phase': phase.phase})}"
    return render(
        request,
        "cases/dashboard.html",
        {
            "form": form,
            "overview": overview,
            "carried": carried,
            "queue_url": queue_url,
        },
    )


@staff_required
@require_POST
def set_unit(request, report_id):
    """The unit-concerned panel (cases/panels/unit.html) on the case page posts here."""
    report = report_for(request.user, report_id, Action.CLASSIFY)
    unit = None
    if request.POST.get("unit"):
        # A tampered value ("abc", "1.5", a huge number) is no unit, like an unknown id.
        unit_id = primary_key(Unit, request.POST["unit"])
        if unit_id is not None:
            unit = Unit.objects.filter(organisation_id=report.organisation_id, pk=unit_id).first()
        if unit is None:
            messages.error(request, _("Choose a unit of the organisation of the report."))
            return redirect("cases:detail", report_id=report.pk)
    try:
        units.set_unit(request.user, report, unit)
        messages.success(request, _("The unit concerned is saved."))
    except CaseError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", report_id=report.pk)
