"""The public publication of side activities (Ambtenarenwet art. 5; RULES R16): no login, no
JavaScript; per organisation the name, function, side activity and whether it is paid, of the
declarations that `selectors.published` lets through and nothing else."""

from django.shortcuts import get_object_or_404, render

from integriteit.organisations.models import Organisation

from .. import selectors


def index(request):
    organisations = Organisation.objects.filter(designated_functions__isnull=False).distinct()
    return render(
        request, "prevention/public_index.html", {"organisations": organisations.order_by("name")}
    )


def organisation(request, slug: str):
    found = get_object_or_404(Organisation, slug=slug)
    return render(
        request,
        "prevention/public_organisation.html",
        {"organisation": found, "declarations": selectors.published(found)},
    )
