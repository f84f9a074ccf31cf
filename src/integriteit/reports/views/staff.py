"""Staff register a report received outside the online form (RULES R1–R2). Handling the
report is case work: integriteit.cases."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integriteit.access.rules import (
    organisations_user_can_register_for,
)
from integriteit.accounts.decorators import staff_required

from .. import services
from ..constants import Channel
from ..forms import (
    OrganisationChoiceForm,
    RegisterReportForm,
)
from ..receipts import new_submission_token
from ..signals import report_registered
from .common import held_receipt, hold_receipt
from .reporter import input_from

REGISTERED_KEY = "registered_receipt"


def _prefilled_channel(request) -> str:
    """`?channel=` preselects who received the report (a link from an adviser's log)."""
    channel = request.GET.get("channel", "")
    if channel in Channel.values and channel != Channel.ONLINE:
        return channel
    return Channel.COORDINATOR


@staff_required
@require_http_methods(["GET", "POST"])
def register(request):
    """Register a report received by phone, in a meeting, by a manager or adviser (RULES R1–R2)."""
    organisations = organisations_user_can_register_for(request.user)
    if not organisations.exists():
        raise Http404
    # Bound only once an organisation was chosen: `?channel=` alone is no answer to check.
    chosen = request.GET if "organisation" in request.GET else None
    chooser = OrganisationChoiceForm(chosen, queryset=organisations)
    organisation = chooser.cleaned_data["organisation"] if chooser.is_valid() else None
    if organisation is None and organisations.count() == 1:
        organisation = organisations.get()
    if organisation is None:
        return render(request, "reports/staff/register_choose.html", {"chooser": chooser})
    form = RegisterReportForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        initial={"channel": _prefilled_channel(request), "received_on": timezone.localdate()},
    )
    if request.method == "POST":
        if form.is_valid():
            data = input_from(form, organisation)
            data.channel = form.cleaned_data["channel"]
            data.form = form.cleaned_data["form"]
            data.identity_consent = form.cleaned_data["identity_consent"]
            # A past day counts from 09:00; today from now, so a report registered before
            # nine in the morning is not "in the future".
            data.received_at = min(
                timezone.make_aware(
                    datetime.datetime.combine(form.cleaned_data["received_on"], datetime.time(9))
                ),
                timezone.now(),
            )
            token = new_submission_token()
            try:
                report, _code = services.register_report(request.user, data, token)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                report_registered.send(sender=type(report), report=report, request=request)
                # The token, never the code, waits in the session for the next page (ADR 0005).
                request.session[REGISTERED_KEY] = hold_receipt(report, token)
                return redirect("reports:registered")
        messages.error(request, _("Some answers need your attention. See the messages below."))
    return render(
        request,
        "reports/staff/register.html",
        {"form": form, "organisation": organisation},
    )


@staff_required
def registered(request):
    """Shows the receipt code once: its token leaves the session as the page is rendered."""
    receipt = held_receipt(request.session.pop(REGISTERED_KEY, None))
    if receipt is None:
        return redirect("workspace")
    return render(
        request,
        "reports/staff/registered.html",
        {
            "receipt": receipt,
            "via_adviser": receipt.report.channel == Channel.CONFIDENTIAL_ADVISER,
        },
    )
