"""The meldpunt's workspace: work queue, the case page and the steps without their own form.
Thin: rules live in integriteit.access, writes in cases.services, reads in selectors."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from integriteit.access.rules import Action, reports_visible_to, shown_to
from integriteit.accounts.decorators import staff_required
from integriteit.deadlines.services import due_soon_window
from integriteit.figures import exports
from integriteit.reports.forms import AcknowledgeForm, StaffMessageForm
from integriteit.reports.models import Report
from integriteit.reports.selectors import (
    QueueResult,
    deadlines_of,
    identity_of,
    report_for,
)
from integriteit.reports.services import record_read
from integriteit.reports.views.common import attachment_response
from integriteit.ui.landing import landing_for

from .. import guards, queue, selectors, services
from ..dashboard import filter_options
from ..filters import CaseQueueFilterForm
from ..models import SavedQueueFilter
from ..signals import case_viewed
from .panels import PanelInput, build_panels, section_url, sections
from .panels.phase import STEP_ACTION, phase_panel

PAGE_SIZE = 25


# The queue's columns: (sort key or None, label). The notifications' unread marker sits in the
# reference cell (context processor notifications.context_processors).
COLUMNS = [
    ("reference", gettext_lazy("Reference")),
    ("organisation", gettext_lazy("Organisation")),
    (None, gettext_lazy("Kind")),
    ("phase", gettext_lazy("Phase")),
    (None, gettext_lazy("Handler")),
    ("received", gettext_lazy("Received")),
    ("acknowledge_by", gettext_lazy("Acknowledge by")),
    ("feedback_by", gettext_lazy("Feedback by")),
]


@dataclass(frozen=True)
class Column:
    label: object
    href: str = ""  # the link that sorts by this column (empty: not sortable)
    aria_sort: str = ""  # "ascending"/"descending" on the column the queue is sorted by


def _columns(query: QueryDict, sort: queue.Sort | None) -> list[Column]:
    """Each header's sort link: ascending first, descending when it is sorted ascending."""
    base = query.copy()
    for name in ("page", "sort"):
        base.pop(name, None)
    columns = []
    for key, label in COLUMNS:
        if key is None:
            columns.append(Column(label))
            continue
        current = sort is not None and sort.key == key
        descending = current and not sort.descending  # type: ignore[union-attr]
        link = base.copy()
        link["sort"] = f"-{key}" if descending else key
        aria = ""
        if current:
            aria = "descending" if sort.descending else "ascending"  # type: ignore[union-attr]
        columns.append(Column(label, f"?{link.urlencode()}", aria))
    return columns


@dataclass
class QueueRequest:
    form: CaseQueueFilterForm
    filters: dict
    sort: queue.Sort | None
    result: QueueResult


def _queue_request(request, visible) -> QueueRequest:
    """The filters and sort of the request, and the cases they select (cases.queue)."""
    organisations, units = filter_options(request.user, visible)
    form = CaseQueueFilterForm(
        request.GET or None,
        organisations=organisations,
        units=list(units),
        assignees=queue.assignee_choices(visible),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    sort = queue.parse_sort(request.GET.get("sort"))
    return QueueRequest(form, filters, sort, queue.work_queue(request.user, filters, visible, sort))


@staff_required
def queue_page(request):
    visible = reports_visible_to(request.user)  # the access rule, resolved once per request
    if not request.GET and not visible.exists():
        # No cases to handle: the person's own work instead of an empty queue (ui.landing).
        target = landing_for(request.user)
        if urlsplit(target).path != request.path:
            return redirect(target)
    asked = _queue_request(request, visible)
    page = Paginator(asked.result.reports, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's rows pass their access seals before any reference is shown (ADR 0012).
    page.object_list = queue.with_handlers(shown_to(request.user, page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    return render(
        request,
        "cases/queue.html",
        {
            "form": asked.form,
            "page": page,
            "now": now,
            "soon": now + due_soon_window(),
            "columns": _columns(request.GET, asked.sort),
            "sort": asked.sort,
            "search_truncated": asked.result.search_truncated,
            "search_unreadable": asked.result.unreadable,
            "query_string": query.urlencode(),
            "filter_query": services.queue_filters(request.GET),
            "saved_filters": SavedQueueFilter.objects.filter(user=request.user),
        },
    )


@staff_required
@require_safe
def queue_export(request, kind: str):
    """The queue as it is filtered, as CSV or XLSX: the columns the queue shows, of the cases
    the user sees (cases.queue.export). Every export is audited."""
    if kind not in ("csv", "xlsx"):
        raise Http404
    asked = _queue_request(request, reports_visible_to(request.user))
    table = queue.export(request.user, asked.result.reports)
    services.record_queue_export(
        request.user, kind, queue.filters_for_audit(asked.filters), table.count, table.truncated
    )
    name = f"werkvoorraad-{timezone.localdate().isoformat()}"
    if kind == "csv":
        return exports.csv_download(name, table.rows)
    return exports.xlsx_download(name, _("Work queue"), table.rows)


def _back_to_queue(query: str = ""):
    return redirect(reverse("cases:queue") + (f"?{query}" if query else ""))


@staff_required
@require_POST
def save_queue_filter(request):
    query = QueryDict(request.POST.get("query", ""))
    try:
        saved = services.save_queue_filter(request.user, request.POST.get("name", ""), query)
    except services.CaseError as error:
        _error(request, error)
        return _back_to_queue(services.queue_filters(query))
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return _back_to_queue(saved.query)


@staff_required
@require_POST
def delete_queue_filter(request, filter_id: int):
    if not services.delete_queue_filter(request.user, filter_id):
        raise Http404
    messages.success(request, _("The saved filter is deleted."))
    return _back_to_queue()


def case_context(request, report: Report, bound: dict | None = None) -> dict:
    """Everything the case page shows, built before it renders; `bound` holds a form as the
    user filled it in after a refusal (by form name). The page shows one section (`?section=`,
    else the one of the current phase; a refused form's own section first)."""
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
    phase = phase_panel(panel_input, SIMPLE_STEPS)
    built = build_panels(panel_input)
    return {
        "report": report,
        "case": page,
        "complaint_about": selectors.complaint_about(request.user, report),
        "actions": page.actions,
        "allowed": {state.key for state in states if state.allowed},
        "phase_panel": phase,
        "sections": sections(panel_input, built, request.GET.get("section")),
        "summary": case_summary(panel_input, phase),
    }


def case_summary(page: PanelInput, phase: dict) -> dict:
    """The header of the case page: the legal time limits with their state, the people on the
    case and the next thing for this user to do (the first of "What you may and must do now")."""
    report = page.report
    deadlines = list(deadlines_of(report))
    interim = page.read(selectors.feedback_of).interim_due
    if interim is not None and report.feedback_given_at is None:
        deadlines.append(interim)
    identity = None
    if Action.VIEW_IDENTITY in page.actions and not report.is_anonymous:
        # Shown on every section, so read (and audited, RULES R7) on every view of the case.
        identity = page.read(identity_of)  # the one read of the identity on the page
        record_read(page.user, report, "identity", {"ground": "handling (RULES R7)"})
    return {
        "deadlines": deadlines,
        "identity": identity,
        "people": page.read(selectors.active_assignments),
        "next": phase["todo"][0] if phase["todo"] else None,
    }


@staff_required
def detail(request, report_id):
    report = report_for(request.user, report_id)
    record_read(request.user, report, "report")
    case_viewed.send(sender=Report, report=report, user=request.user)
    return render(request, "cases/case.html", case_context(request, report))


def _back(report: Report, anchor: str | None = None):
    if anchor is None:
        return redirect("cases:detail", report_id=report.pk)
    return redirect(
        section_url(report, anchor, reverse("cases:detail", kwargs={"report_id": report.pk}))
    )


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
    form = StaffMessageForm(request.POST, request.FILES, auto_id="message-%s")
    if not form.is_valid():
        # Bad input: the case page again with the message as typed (docs/workspace.md "After a
        # post"; before, a redirect lost the text).
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return _message_page(request, report, form)
    try:
        services.send_message(
            request.user, report, form.cleaned_data["text"], form.cleaned_data["attachments"]
        )
    except ValidationError as error:  # about the input (an attachment): keep the text
        _error(request, error)
        form.add_error(None, error)
        return _message_page(request, report, form)
    except services.TransitionRefused as error:  # the report takes no messages: a rule
        _error(request, error)
        return _back(report, "mailbox")
    messages.success(request, _("Message sent to the reporter's mailbox."))
    return _back(report, "mailbox")


def _message_page(request, report: Report, form):
    return render(request, "cases/case.html", case_context(request, report, {"message": form}))


# The confirmation every irreversible action needs (guards.IRREVERSIBLE): the checkbox of
# cases/panels/confirm.html.
CONFIRM_FIELD = "confirm"


def confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def not_confirmed_message() -> str:
    return _(
        "Nothing was changed: this step cannot be undone. Tick “I understand this cannot be "
        "undone” to confirm it."
    )


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
    if STEP_ACTION[name] in guards.IRREVERSIBLE and not confirmed(request):
        messages.error(request, not_confirmed_message())
        return _back(report, "next-steps")
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
