"""The notifications page and the escalation settings. Thin: reads in selectors, writes in
services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.accounts.decorators import staff_required

from . import selectors, services
from .forms import EscalationSettingsForm

PAGE_SIZE = 25


@staff_required
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": selectors.shown(request.user, list(page.object_list)),
            "unread": selectors.unread_count(request.user),
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@staff_required
@require_POST
def mark_read(request, notification_id: int):
    """Another's notification, or one about a case the user is excluded from, is not found."""
    if not selectors.notifications_of(request.user).filter(pk=notification_id).exists():
        raise Http404
    services.mark_read(request.user, notification_id)
    return _back(request)


@staff_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


@staff_required
def escalation_overview(request):
    organisations = list(selectors.administered_organisations(request.user))
    if not organisations:
        raise Http404
    rows = [(org, selectors.escalation_settings_of(org)) for org in organisations]
    return render(
        request,
        "notifications/escalation_overview.html",
        {"rows": rows, "due_soon_days": settings.DUE_SOON_DAYS},
    )


@staff_required
def escalation_settings(request, organisation_id: int):
    organisation = (
        selectors.administered_organisations(request.user).filter(pk=organisation_id).first()
    )
    if organisation is None:
        raise Http404
    current = selectors.escalation_settings_of(organisation)
    initial = {
        "contact": current.contact,
        "escalate_due_soon": current.escalate_due_soon,
        "escalate_overdue": current.escalate_overdue,
    }
    form = EscalationSettingsForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_escalation_settings(request.user, organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("contact", error)
        else:
            messages.success(request, _("The escalation settings are saved."))
            return redirect("notifications:escalation")
    return render(
        request,
        "notifications/escalation_settings.html",
        {"form": form, "organisation": organisation},
    )
