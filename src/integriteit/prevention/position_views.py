"""The integrity coordinator's position: the current situation with what falls short, its
history, every organisation's at a glance for those who read more than one, and the form by
which the coordinator records a new situation (seed 001 §3.4)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from integriteit.accounts.decorators import staff_required

from . import position
from .access_position import organisations_to_read_position
from .position_forms import PositionForm


def chosen_organisation(request, organisations):
    """The organisation of `?organisatie=` among those given, the first without one; 404 for
    any other."""
    organisations = list(organisations)
    if not organisations:
        raise Http404
    slug = request.GET.get("organisatie", "")
    if not slug:
        return organisations, organisations[0]
    for organisation in organisations:
        if organisation.slug == slug:
            return organisations, organisation
    raise Http404


def _page_url(organisation) -> str:
    return f"{reverse('prevention:position')}?organisatie={organisation.slug}"


@require_safe
@staff_required
def position_page(request):
    organisations, organisation = chosen_organisation(
        request, organisations_to_read_position(request.user)
    )
    history = list(position.history(organisation))
    current = history[0] if history else None
    overview = []
    if len(organisations) > 1:
        latest = position.current_positions(organisations)
        for each in organisations:
            found = latest.get(each.pk)
            overview.append((each, found, position.assess(found) if found else None))
    return render(
        request,
        "prevention/position.html",
        {
            "organisations": organisations,
            "organisation": organisation,
            "current": current,
            "assessment": position.assess(current) if current else None,
            "history": history,
            "overview": overview,
            "may_record": position.may_record(request.user, organisation),
            "full_time_hours": position.FULL_TIME_HOURS,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def record_position(request):
    _organisations, organisation = chosen_organisation(
        request, organisations_to_read_position(request.user)
    )
    if not position.may_record(request.user, organisation):
        raise Http404
    history = position.history(organisation)
    form = PositionForm(request.POST or None, instance=None)
    if request.method == "GET" and (latest := history.first()) is not None:
        form = PositionForm(
            initial={
                name: getattr(latest, name) for name in position.FIELDS if name != "valid_from"
            }
        )
    if request.method == "POST" and form.is_valid():
        try:
            position.record_position(request.user, organisation, form.cleaned_data)
        except position.PositionRefused as refusal:
            form.add_error("valid_from", str(refusal))
        else:
            messages.success(request, _("The coordinator's position was recorded."))
            return redirect(_page_url(organisation))
    return render(
        request,
        "prevention/position_form.html",
        {"form": form, "organisation": organisation, "back": _page_url(organisation)},
    )
