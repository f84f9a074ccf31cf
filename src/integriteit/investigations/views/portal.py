"""The portal for people asked to cooperate in an investigation (RULES R10, R12; issue 4): the
subject (beklagde) and witnesses, staff with an account and a second factor.

What they see comes only from `interviews_visible_to` and `report_versions_visible_to`: their own
invitations with their rights, their own interview records (to approve or comment on within the
term), and for the subject the draft report (to respond to before it is final) and the final
report. Never the case: not the reporter's identity (R7), not other interviewees or their
records, not the case contents. Any other object is 404, never 403 (SYSTEM.md "Need to know")."""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from integriteit.accounts.decorators import staff_required
from integriteit.reports.forms import MESSAGE_MAX, StyledFormMixin, textarea

from .. import selectors, services
from ..access import interviews_visible_to, report_versions_visible_to
from ..constants import IntervieweeRole, ReportVersionKind
from ..models import Interview, Investigation, ReportVersion

# --- Forms -----------------------------------------------------------------------------------


class PortalForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RecordCommentForm(PortalForm):
    comment = forms.CharField(
        label=gettext_lazy("Your comments on the record"),
        help_text=gettext_lazy(
            "Say what is missing or not right in the record. Your comments are added to the file."
        ),
        max_length=MESSAGE_MAX,
        widget=textarea(6),
    )


class DraftResponseForm(PortalForm):
    response = forms.CharField(
        label=gettext_lazy("Your response to the draft report"),
        help_text=gettext_lazy(
            "Your response is attached to the final report. You can respond once."
        ),
        max_length=MESSAGE_MAX,
        widget=textarea(10),
    )


# --- What the page shows ---------------------------------------------------------------------


def _download_url(version: ReportVersion) -> str:
    """The PDF download of a report version, made by the report documents' views."""
    ids = {"investigation_id": version.investigation_id, "version_id": version.pk}
    for name, kwargs in (
        ("investigations:download", {**ids, "fmt": "pdf"}),
        ("investigations:report_pdf", ids),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


@dataclass
class InterviewItem:
    interview: Interview
    invitation: str
    record: str
    adviser: str
    comment: str
    term_passed: bool
    comment_form: forms.Form | None = None

    @property
    def is_subject(self) -> bool:
        return self.interview.role == IntervieweeRole.SUBJECT

    @property
    def open_for_response(self) -> bool:
        return (
            self.interview.record_offered_at is not None
            and self.interview.approved_at is None
            and not self.term_passed
        )

    @property
    def can_comment(self) -> bool:
        return self.open_for_response and self.interview.commented_at is None


@dataclass
class VersionItem:
    version: ReportVersion
    response: str
    download_url: str
    term_passed: bool
    response_form: forms.Form | None = None

    @property
    def is_draft(self) -> bool:
        return self.version.kind == ReportVersionKind.DRAFT

    @property
    def can_respond(self) -> bool:
        return self.is_draft and self.version.responded_at is None and not self.term_passed


@dataclass
class InvestigationItem:
    investigation: Investigation
    is_subject: bool
    protocol_steps: list
    interviews: list[InterviewItem] = field(default_factory=list)
    drafts: list[VersionItem] = field(default_factory=list)
    finals: list[VersionItem] = field(default_factory=list)


def _past(due) -> bool:
    return due is not None and due < timezone.localdate()


def _interview_item(interview: Interview, bound: dict) -> InterviewItem:
    item = InterviewItem(
        interview=interview,
        invitation=selectors.shown_on(interview, "sealed_invitation"),
        record=selectors.shown_on(interview, "sealed_record")
        if interview.record_offered_at
        else "",
        adviser=selectors.shown_on(interview, "sealed_adviser"),
        comment=selectors.shown_on(interview, "sealed_comment"),
        term_passed=_past(interview.response_due),
    )
    if item.can_comment:
        item.comment_form = bound.get(("interview", interview.pk)) or RecordCommentForm(
            prefix=f"record-{interview.pk}"
        )
    return item


def _version_item(version: ReportVersion, bound: dict) -> VersionItem:
    item = VersionItem(
        version=version,
        response=selectors.shown_on(version, "sealed_subject_response"),
        download_url=_download_url(version),
        term_passed=_past(version.response_due),
    )
    if item.can_respond:
        item.response_form = bound.get(("version", version.pk)) or DraftResponseForm(
            prefix=f"draft-{version.pk}"
        )
    return item


def portal_items(user, bound: dict | None = None) -> list[InvestigationItem]:
    """Per investigation, what concerns `user`, in the order the investigations began."""
    bound = bound or {}
    related = ("investigation__report__organisation", "investigation__protocol")
    interviews = interviews_visible_to(user).select_related(*related).order_by("planned_at")
    versions = report_versions_visible_to(user).select_related(*related).order_by("generated_at")
    items: dict[int, InvestigationItem] = {}

    def item_for(investigation: Investigation) -> InvestigationItem:
        if investigation.pk not in items:
            items[investigation.pk] = InvestigationItem(
                investigation=investigation,
                is_subject=selectors.is_subject(user, investigation),
                protocol_steps=list(investigation.protocol.steps.order_by("position")),
            )
        return items[investigation.pk]

    for interview in interviews:
        item_for(interview.investigation).interviews.append(_interview_item(interview, bound))
    for version in versions:
        entry = item_for(version.investigation)
        if version.kind == ReportVersionKind.DRAFT:
            entry.drafts.append(_version_item(version, bound))
        else:
            entry.finals.append(_version_item(version, bound))
    for entry in items.values():
        entry.finals = entry.finals[-1:]  # the final report is the latest final version
    return sorted(items.values(), key=lambda e: e.investigation.commissioned_at)


def _render(request, bound: dict | None = None) -> HttpResponse:
    context = {
        "investigations": portal_items(request.user, bound),
        "interview_days": settings.INTERVIEW_RESPONSE_DAYS,
        "draft_days": settings.DRAFT_RESPONSE_DAYS,
    }
    return render(request, "investigations/portal/overview.html", context)


def _back(anchor: str):
    return redirect(reverse("investigations:portal") + f"#{anchor}")


# --- Views -----------------------------------------------------------------------------------


@staff_required
def overview(request) -> HttpResponse:
    return _render(request)


def _own_interview(request, interview_id: int) -> Interview:
    return get_object_or_404(
        interviews_visible_to(request.user).select_related("investigation__report"),
        pk=interview_id,
    )


def _refuse(request, error: Exception | str, anchor: str):
    messages.error(request, _("Not possible: %(reason)s") % {"reason": error})
    return _back(anchor)


@staff_required
@require_POST
def approve_record(request, interview_id: int) -> HttpResponse:
    interview = _own_interview(request, interview_id)
    anchor = f"gesprek-{interview.pk}"
    if _past(interview.response_due):
        return _refuse(request, _("the term has passed; the record counts as accepted."), anchor)
    try:
        services.approve_record(request.user, interview)
    except services.InvestigationError as error:
        return _refuse(request, error, anchor)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("You approved the record of your interview."))
    return _back(anchor)


@staff_required
@require_POST
def comment_record(request, interview_id: int) -> HttpResponse:
    interview = _own_interview(request, interview_id)
    anchor = f"gesprek-{interview.pk}"
    if _past(interview.response_due):
        return _refuse(request, _("the term has passed; the record counts as accepted."), anchor)
    form = RecordCommentForm(request.POST, prefix=f"record-{interview.pk}")
    if not form.is_valid():
        messages.error(request, _("Not saved: check the fields marked below."))
        return _render(request, {("interview", interview.pk): form})
    try:
        services.comment_record(request.user, interview, form.cleaned_data["comment"])
    except services.InvestigationError as error:
        return _refuse(request, error, anchor)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Your comments on the record were sent to the investigators."))
    return _back(anchor)


@staff_required
@require_POST
def respond_to_draft(request, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        report_versions_visible_to(request.user).select_related("investigation__report"),
        pk=version_id,
        kind=ReportVersionKind.DRAFT,
    )
    anchor = f"rapport-{version.pk}"
    if _past(version.response_due):
        return _refuse(request, _("the term for your response has passed."), anchor)
    form = DraftResponseForm(request.POST, prefix=f"draft-{version.pk}")
    if not form.is_valid():
        messages.error(request, _("Not saved: check the fields marked below."))
        return _render(request, {("version", version.pk): form})
    try:
        services.respond_to_draft(request.user, version, form.cleaned_data["response"])
    except services.InvestigationError as error:
        return _refuse(request, error, anchor)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Your response to the draft report was sent to the investigators."))
    return _back(anchor)
