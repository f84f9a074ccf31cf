"""The meldpunt's workspace: work queue, report page and its actions. Thin: rules live in
integriteit.access, writes in services, reads in selectors."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.access.rules import (
    Action,
    allowed_actions,
    organisations_user_can_register_for,
    reports_visible_to,
)
from integriteit.accounts.decorators import staff_required
from integriteit.organisations.models import Organisation

from .. import services
from ..constants import Channel
from ..forms import (
    AcknowledgeForm,
    ClassifyForm,
    MessageForm,
    OrganisationChoiceForm,
    QueueFilterForm,
    RegisterReportForm,
)
from ..models import Report
from ..receipts import display
from ..sealing import open_identity
from ..selectors import (
    content_of,
    deadlines_of,
    messages_of,
    report_attachments,
    report_for,
)
from ..selectors import (
    queue as queue_selector,
)
from .common import attachment_response
from .reporter import input_from

PAGE_SIZE = 25
REGISTERED_KEY = "registered_receipt"


@staff_required
def queue(request):
    organisations = Organisation.objects.filter(
        pk__in=reports_visible_to(request.user).values("organisation")
    )
    form = QueueFilterForm(request.GET or None, organisations=organisations)
    filters = form.cleaned_data if form.is_valid() else {}
    result = queue_selector(request.user, filters)
    page = Paginator(result.reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/staff/queue.html",
        {
            "form": form,
            "page": page,
            "now": timezone.now(),
            "search_truncated": result.search_truncated,
            "query_string": query.urlencode(),
        },
    )


def _default_acknowledgement(report: Report) -> str:
    return _(
        "Thank you for your report %(reference)s. We received it on %(date)s. "
        "An integrity coordinator will assess it. You will hear from us no later than %(feedback)s. "
        "If we have questions, you will find them here in your mailbox."
    ) % {
        "reference": report.reference,
        "date": timezone.localtime(report.received_at).strftime("%d-%m-%Y"),
        "feedback": timezone.localtime(report.feedback_due).strftime("%d-%m-%Y"),
    }


@staff_required
def detail(request, report_id):
    report = report_for(request.user, report_id)
    actions = allowed_actions(request.user, report)
    services.record_read(request.user, report, "report")
    identity = None
    if Action.VIEW_IDENTITY in actions and not report.is_anonymous:
        identity = open_identity(report)
        services.record_read(request.user, report, "identity", {"ground": "handling (RULES R7)"})
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "content": content_of(report),
            "identity": identity,
            "actions": {a.value for a in actions},
            "deadlines": deadlines_of(report),
            "timeline": messages_of(report, for_staff=True),
            "files": report_attachments(report),
            "reported_types": report.reported_types.all(),
            "classified_types": report.classified_types.all(),
            "acknowledge_form": AcknowledgeForm(initial={"text": _default_acknowledgement(report)}),
            "message_form": MessageForm(),
            "classify_form": ClassifyForm(
                initial={
                    "kind": report.classified_kind or report.kind,
                    "types": list(
                        (
                            report.classified_types
                            if report.classified_at
                            else report.reported_types
                        ).values_list("code", flat=True)
                    ),
                }
            ),
        },
    )


@staff_required
@require_POST
def acknowledge(request, report_id):
    report = report_for(request.user, report_id, Action.ACKNOWLEDGE)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the acknowledgement message."))
    else:
        try:
            services.acknowledge(request.user, report, form.cleaned_data["text"])
            messages.success(request, _("Acknowledgement sent to the reporter's mailbox."))
        except services.TransitionRefused as error:
            messages.error(request, str(error))
    return redirect("reports:detail", report_id=report.pk)


@staff_required
@require_POST
def send_message(request, report_id):
    report = report_for(request.user, report_id, Action.MESSAGE)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    else:
        try:
            services.send_staff_message(
                request.user, report, form.cleaned_data["text"], form.cleaned_data["attachments"]
            )
            messages.success(request, _("Message sent to the reporter's mailbox."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("reports:detail", report_id=report.pk)


@staff_required
@require_POST
def classify(request, report_id):
    report = report_for(request.user, report_id, Action.CLASSIFY)
    form = ClassifyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    else:
        try:
            services.classify(
                request.user, report, form.cleaned_data["kind"], form.cleaned_data["types"]
            )
            messages.success(request, _("Classification saved."))
        except services.TransitionRefused as error:
            messages.error(request, str(error))
    return redirect("reports:detail", report_id=report.pk)


@staff_required
def attachment(request, report_id, attachment_id):
    report = report_for(request.user, report_id, Action.DOWNLOAD)
    found = report.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    services.record_read(request.user, report, "attachment", {"attachment": str(found.pk)})
    return attachment_response(found)


@staff_required
@require_http_methods(["GET", "POST"])
def register(request):
    """Register a report received by phone, in a meeting, by a manager or adviser (RULES R1–R2)."""
    organisations = organisations_user_can_register_for(request.user)
    if not organisations.exists():
        raise Http404
    chooser = OrganisationChoiceForm(request.GET or None, queryset=organisations)
    organisation = chooser.cleaned_data["organisation"] if chooser.is_valid() else None
    if organisation is None and organisations.count() == 1:
        organisation = organisations.get()
    if organisation is None:
        return render(request, "reports/staff/register_choose.html", {"chooser": chooser})
    form = RegisterReportForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        initial={"channel": Channel.COORDINATOR, "received_on": timezone.localdate()},
    )
    if request.method == "POST":
        if form.is_valid():
            data = input_from(form, organisation)
            data.channel = form.cleaned_data["channel"]
            data.form = form.cleaned_data["form"]
            data.received_at = timezone.make_aware(
                datetime.datetime.combine(form.cleaned_data["received_on"], datetime.time(9))
            )
            try:
                report, code = services.register_report(request.user, data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[REGISTERED_KEY] = {
                    "code": display(code),
                    "reference": report.reference,
                }
                return redirect("reports:registered")
        messages.error(request, _("Some answers need your attention. See the messages below."))
    return render(
        request,
        "reports/staff/register.html",
        {"form": form, "organisation": organisation},
    )


@staff_required
def registered(request):
    receipt = request.session.pop(REGISTERED_KEY, None)
    if receipt is None:
        return redirect("reports:queue")
    return render(request, "reports/staff/registered.html", {"receipt": receipt})
