from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.accounts.decorators import staff_required
from integriteit.figures import exports

from ..access import organisations_for_process_evaluation
from ..evaluations import figures_for


def _year(request) -> tuple[range, int | None]:
    """The years to choose from and the chosen one (None: all years, also for a wrong one)."""
    years = range(timezone.now().year, timezone.now().year - 6, -1)
    year = request.GET.get("jaar", "")
    # Compared as text: "²".isdigit() is true, yet int("²") fails (a 500).
    return years, next((choice for choice in years if str(choice) == year), None)


def _visible(request) -> None:
    if not organisations_for_process_evaluation(request.user).exists():
        raise Http404


@staff_required
def process_evaluation(request):
    _visible(request)
    years, selected = _year(request)
    if request.GET.get("jaar") and selected is None:
        messages.warning(request, _("There are no figures for that year; all years are shown."))
    return render(
        request,
        "cases/evaluations.html",
        {"evaluation": figures_for(request.user, selected), "years": years, "selected": selected},
    )


def _export_name(selected: int | None) -> str:
    return f"procesevaluatie-{selected or 'alle-jaren'}"


@staff_required
def process_evaluation_csv(request):
    _visible(request)
    _years, selected = _year(request)
    evaluation = figures_for(request.user, selected)
    return exports.csv_download(_export_name(selected), evaluation.export_rows())


@staff_required
def process_evaluation_xlsx(request):
    _visible(request)
    _years, selected = _year(request)
    evaluation = figures_for(request.user, selected)
    return exports.xlsx_download(
        _export_name(selected), _("Process evaluation"), evaluation.export_rows()
    )
