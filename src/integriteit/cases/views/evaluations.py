from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.accounts.decorators import staff_required

from ..access import organisations_for_process_evaluation
from ..evaluations import figures_for


@staff_required
def process_evaluation(request):
    if not organisations_for_process_evaluation(request.user).exists():
        raise Http404
    years = range(timezone.now().year, timezone.now().year - 6, -1)
    year = request.GET.get("jaar", "")
    # Compared as text: "²".isdigit() is true, yet int("²") fails (a 500).
    selected = next((choice for choice in years if str(choice) == year), None)
    if year and selected is None:
        messages.warning(request, _("There are no figures for that year; all years are shown."))
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
