"""The meldpunt's workspace: work queue, the case page and the steps without their own form.
Thin: rules live in integriteit.access, writes in cases.services, reads in selectors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.access.rules import Action, reports_visible_to, shown_to
from integriteit.accounts.decorators import staff_required
from integriteit.reports.constants import RaisedBefore
from integriteit.reports.forms import AcknowledgeForm, StaffMessageForm
from integriteit.reports.models import Report
from integriteit.reports.selectors import (
    content_of,
    deadlines_of,
    identity_of,
    messages_of,
    report_attachments,
    report_for,
)
from integriteit.reports.selectors import queue as queue_selector
from integriteit.reports.services import record_read
from integriteit.reports.views.common import attachment_response

from .. import selectors, services
from ..dashboard import filter_options
from ..filters import CaseQueueFilterForm
from .panels import PanelInput, build_panels
from .panels.phase import phase_panel

PAGE_SIZE = 25


@staff_required
def queue(request):
    visible = reports_visible_to(request.user)  # the access rule, resolved once per request
    organisations, units = filter_options(request.user, visible)
    form = CaseQueueFilterForm(request.GET or None, organisations=organisations, units=list(units))
    filters = form.cleaned_data if form.is_valid() else {}
    result = queue_selector(request.user, filters, visible)
    page = Paginator(result.reports, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's rows pass their access seals before any reference is shown (ADR 0012).
    page.object_list = shown_to(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/queue.html",
        {
            "form": form,
            "page": page,
            "now": timezone.now(),
            "search_truncated": result.search_truncated,
            "search_unreadable": result.unreadable,
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


def case_context(request, report: Report, bound: dict | None = None) -> dict:
    """Everything the case page shows, built before it renders; `bound` holds a form as the
    user filled it in after a refusal (by form name)."""
    page = selectors.case_page(request.user, report)
    states = selectors.available_actions(request.user, report, page.actions)
    panel_input = PanelInput(
        request.user,
        report,
        page.actions,
        page.roles,
        {state.key: state for state in states},
        bound or {},
    )
    content = content_of(report)
    identity = None
    if Action.VIEW_IDENTITY in page.actions and not report.is_anonymous:
        identity = identity_of(report)
        record_read(request.user, report, "identity", {"ground": "handling (RULES R7)"})
    return {
        "report": report,
        "case": page,
        "complaint_about": selectors.complaint_about(request.user, report),
        "content": content,
        "raised_before_label": RaisedBefore(content.raised_before).label
        if content.raised_before
        else "",
        "identity": identity,
        "actions": page.actions,
        "allowed": {state.key for state in states if state.allowed},
        "phase_panel": phase_panel(panel_input, SIMPLE_STEPS),
        "panels": build_panels(panel_input),
        "deadlines": deadlines_of(report),
        "timeline": messages_of(report, for_staff=True),
        "files": report_attachments(report),
        "reported_types": report.reported_types.all(),
        "classified_types": report.classified_types.all(),
        "acknowledge_form": AcknowledgeForm(initial={"text": _default_acknowledgement(report)}),
        "message_form": StaffMessageForm(),
    }


@staff_required
def detail(request, report_id):
    report = report_for(request.user, report_id)
    record_read(request.user, report, "report")
    return render(request, "cases/case.html", case_context(request, report))


def _back(report: Report):
    return redirect("cases:detail", report_id=report.pk)


def _error(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error))


@staff_required
@require_POST
def acknowledge(request, report_id):
    report = report_for(request.user, report_id, Action.ACKNOWLEDGE)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the acknowledgement message."))
        return _back(report)
    try:
        services.acknowledge(request.user, report, form.cleaned_data["text"])
        messages.success(request, _("Acknowledgement sent to the reporter's mailbox."))
    except services.TransitionRefused as error:
        _error(request, error)
    return _back(report)


@staff_required
@require_POST
def send_message(request, report_id):
    report = report_for(request.user, report_id, Action.MESSAGE)
    form = StaffMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return _back(report)
    try:
        services.send_message(
            request.user, report, form.cleaned_data["text"], form.cleaned_data["attachments"]
        )
        messages.success(request, _("Message sent to the reporter's mailbox."))
    except ValidationError as error:
        _error(request, error)
    return _back(report)


# Steps that record nothing of their own: the service takes the transition after its checks.
SIMPLE_STEPS = {
    "start_assessment": (Action.ASSESS, services.start_assessment),
    "complete_assessment": (Action.ASSESS, services.complete_assessment),
    "complete_investigation": (Action.RECORD_OUTCOME, services.complete_investigation),
    "complete_follow_up": (Action.RECORD_OUTCOME, services.complete_follow_up),
    "record_decision": (Action.DECIDE, services.complete_decision),
    "close": (Action.CLOSE, services.close),
}


@staff_required
@require_POST
def step(request, report_id, name):
    if name not in SIMPLE_STEPS:
        raise Http404
    action, service = SIMPLE_STEPS[name]
    report = report_for(request.user, report_id, action)
    try:
        service(request.user, report)
        messages.success(
            request,
            _("Done. The case is now in the phase “%(phase)s”.")
            % {"phase": Report.objects.get(pk=report.pk).get_phase_display()},
        )
    except (services.TransitionRefused, services.CaseError) as error:
        _error(request, error)
    return _back(report)


@staff_required
@require_POST
def reopen(request, report_id):
    report = report_for(request.user, report_id, Action.REOPEN)
    try:
        services.reopen(request.user, report, request.POST.get("reason", ""))
        messages.success(request, _("The case is reopened."))
    except (services.TransitionRefused, services.CaseError) as error:
        _error(request, error)
    return _back(report)


@staff_required
def attachment(request, report_id, attachment_id):
    report = report_for(request.user, report_id, Action.DOWNLOAD)
    found = report.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    record_read(request.user, report, "attachment", {"attachment": str(found.pk)})
    return attachment_response(found)
