"""The register of confidential advisers for the integrity coordinator: every adviser serving
the organisation, what they miss of the basic requirements, and term warnings (issue 5 §1)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from integriteit.accounts.decorators import staff_required

from ..access import organisations_for_adviser_register
from ..register import register_for


@require_safe
@staff_required
def register(request):
    organisations = list(organisations_for_adviser_register(request.user))
    if not organisations:
        raise Http404
    slug = request.GET.get("organisatie", "")
    if slug:
        selected = next((o for o in organisations if o.slug == slug), None)
        if selected is None:
            raise Http404
    else:
        selected = organisations[0]
    today = timezone.localdate()
    return render(
        request,
        "advisers/register.html",
        {
            "organisations": organisations,
            "organisation": selected,
            "rows": register_for(selected, today),
        },
    )
