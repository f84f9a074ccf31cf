from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from integriteit.access.rules import organisations_for_process_evaluation
from integriteit.accounts.decorators import staff_required

from ..evaluations import figures_for


@staff_required
def process_evaluation(request):
    if not organisations_for_process_evaluation(request.user).exists():
        raise Http404
    years = range(timezone.now().year, timezone.now().year - 6, -1)
    year = request.GET.get("jaar", "")
    selected = int(year) if year.isdigit() and int(year) in years else None
    return render(
        request,
        "cases/evaluations.html",
        {
            "figures": figures_for(request.user, selected),
            "years": years,
            "selected": selected,
            "minimum": settings.EVALUATION_MIN_GROUP,
        },
    )
