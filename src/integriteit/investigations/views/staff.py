"""The staff screens of an investigation: commissioning from the case page, the investigation page
with the protocol's steps, and the investigators' workload. Thin, like cases.views.actions: the
view finds the investigation (404 for anyone without a role on it), the form checks the input,
the service checks the rules. Success redirects to the section concerned. A refused button (a
step completed, a deviation approved, a report generated or offered: nothing typed) redirects
too, with the reasons in a message, so the browser never stays on the POST address, where a
reload would post again (issue 10 defect 7); so does a form refused because its step or the
case is not open (StepRefused): the page offers no form for a step that is not open, so there is
no typed text it could show again. Bad input, and any other refusal of a form, show the page
again with what the user typed and the reasons beside it (SYSTEM.md "Bad input": keep what the
user typed; the text cannot wait in the session, which is stored unencrypted)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integriteit.access.rules import Action
from integriteit.accounts.decorators import staff_required
from integriteit.accounts.models import User
from integriteit.accounts.selectors import staff_of
from integriteit.cases.views.actions import _refused as case_refused
from integriteit.cases.views.panels import section_url
from integriteit.reports.models import Report
from integriteit.reports.selectors import report_for
from integriteit.reports.services import record_read
from integriteit.ui.submission import handle_form, reasons_of, refuse_with_redirect, show_refusal

from .. import access, panels, selectors, services, staff_forms
from ..constants import IntervieweeRole, ReportVersionKind, StepRole
from ..models import Investigation

REFUSALS = (services.InvestigationError, ValidationError, PermissionDenied)


def _page_url(investigation: Investigation, anchor: str = "") -> str:
    url = reverse("investigations:detail", kwargs={"investigation_id": investigation.pk})
    return url + (f"#{anchor}" if anchor else "")


def _to_page(investigation: Investigation, anchor: str = ""):
    return redirect(_page_url(investigation, anchor))


def _render(request, investigation: Investigation, bound: dict | None = None, status: int = 200):
    context = panels.investigation_page(request.user, investigation, bound)
    return render(request, "investigations/staff/investigation.html", context, status=status)


def _refused(request, investigation, error: Exception, anchor: str):
    """The service refused: its reasons in a message, then back to the section (no re-post)."""
    show_refusal(request, None, error)
    return _to_page(investigation, anchor)


def _handle(
    request,
    investigation: Investigation,
    name: str,
    form,
    call: Callable[[dict], object],
    *,
    anchor: str,
    success: str,
):
    return handle_form(
        request,
        form,
        call,
        refusals=REFUSALS,
        success=success,
        on_success=lambda: _to_page(investigation, anchor),
        on_refusal=lambda bound: _render(request, investigation, {name: bound}),
        redirect_to=_page_url(investigation, anchor),
        redirect_on=(services.StepRefused,),
    )


def _require(user: User, investigation: Investigation, role: str) -> None:
    """Actions are for the role that does them; others get 404 like any unknown page."""
    if not selectors.acts_as(user, investigation, role):
        raise Http404


# --- Commissioning from the case page ----------------------------------------------------------


@staff_required
@require_POST
def commission(request, report_id):
    report: Report = report_for(request.user, report_id, Action.DECIDE)
    form = panels.commission_form(report, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            investigation = services.commission(
                request.user,
                report,
                investigators=list(data["investigators"]),
                deadline=data["deadline"],
                note=data["note"],
            )
        except services.StepRefused as error:
            # Not in this phase, or an investigation is open already: the case page offers no
            # commission form then, so the reasons go there with a redirect (no re-post).
            case_url = reverse("cases:detail", kwargs={"report_id": report.pk})
            return refuse_with_redirect(
                request, reasons_of(error), section_url(report, "commission", case_url)
            )
        except REFUSALS as error:
            return case_refused(request, report, "commission", form, error)
        messages.success(request, _("The investigation is commissioned."))
        return _to_page(investigation)
    return case_refused(request, report, "commission", form)


# --- The investigations she carries out (the investigator's landing) ---------------------------


@staff_required
def mine(request):
    """The investigations the user carries out, each linking to its page; an empty state for
    an investigator who has none; 404 for anyone else (like any page not theirs)."""
    if not selectors.carries_out_investigations(request.user):
        raise Http404
    rows = panels.my_investigations(request.user)
    return render(request, "investigations/staff/mine.html", {"rows": rows})


# --- The investigation page --------------------------------------------------------------------


@staff_required
def detail(request, investigation_id):
    investigation = selectors.investigation_for(request.user, investigation_id)
    record_read(request.user, investigation.report, "investigation", {"id": investigation.pk})
    return _render(request, investigation)


@staff_required
@require_POST
def save_values(request, investigation_id, code):
    investigation = selectors.investigation_for(request.user, investigation_id)
    step = selectors.step_of(investigation, code)
    _require(request.user, investigation, step.responsible_role)
    form = staff_forms.StepValuesForm(request.POST, step=step)
    return _handle(
        request,
        investigation,
        f"values-{code}",
        form,
        # Only the fields sent: a partial form does not erase what was recorded before.
        lambda d: services.save_values(
            request.user,
            investigation,
            code,
            {k: v for k, v in d.items() if form.add_prefix(k) in request.POST},
        ),
        anchor=f"step-{code}",
        success=_("The step's records are saved."),
    )


@staff_required
@require_POST
def upload(request, investigation_id, code):
    investigation = selectors.investigation_for(request.user, investigation_id)
    step = selectors.step_of(investigation, code)
    _require(request.user, investigation, step.responsible_role)
    form = staff_forms.DocumentForm(request.POST, request.FILES, step=step)
    return _handle(
        request,
        investigation,
        f"document-{code}",
        form,
        lambda d: services.upload_document(request.user, investigation, code, d["kind"], d["file"]),
        anchor=f"step-{code}",
        success=_("The document is added to the file."),
    )


@staff_required
@require_POST
def complete(request, investigation_id, code):
    investigation = selectors.investigation_for(request.user, investigation_id)
    step = selectors.step_of(investigation, code)
    _require(request.user, investigation, step.responsible_role)
    try:
        services.complete_step(request.user, investigation, code)
    except REFUSALS as error:
        return _refused(request, investigation, error, f"step-{code}")
    messages.success(request, _("The step “%(name)s” is completed.") % {"name": _(step.name)})
    return _to_page(investigation, f"step-{code}")


@staff_required
@require_POST
def request_deviation(request, investigation_id, code):
    investigation = selectors.investigation_for(request.user, investigation_id)
    step = selectors.step_of(investigation, code)
    _require(request.user, investigation, step.responsible_role)
    form = staff_forms.DeviationForm(request.POST, step=step)
    return _handle(
        request,
        investigation,
        f"deviation-{code}",
        form,
        lambda d: services.request_deviation(request.user, investigation, code, d["reason"]),
        anchor=f"step-{code}",
        success=_("The deviation is requested from the competent authority."),
    )


@staff_required
@require_POST
def approve_deviation(request, investigation_id, code):
    investigation = selectors.investigation_for(request.user, investigation_id)
    step = selectors.step_of(investigation, code)
    _require(request.user, investigation, StepRole.COMPETENT_AUTHORITY)
    try:
        services.approve_deviation(request.user, investigation, code)
    except REFUSALS as error:
        return _refused(request, investigation, error, f"step-{code}")
    messages.success(
        request,
        _("The deviation in “%(name)s” is approved; the next step is open.")
        % {"name": _(step.name)},
    )
    return _to_page(investigation, f"step-{code}")


# --- Interviews --------------------------------------------------------------------------------


@staff_required
@require_POST
def plan_interview(request, investigation_id, role):
    investigation = selectors.investigation_for(request.user, investigation_id)
    if role not in IntervieweeRole.values:
        raise Http404
    _require(request.user, investigation, StepRole.INVESTIGATOR)
    report = investigation.report
    form = staff_forms.PlanInterviewForm(
        request.POST,
        role=role,
        report=report,
        staff=staff_of(report.organisation),
        invitation=services.default_invitation(role),
    )
    return _handle(
        request,
        investigation,
        f"plan-{role}",
        form,
        lambda d: services.plan_interview(
            request.user,
            investigation,
            role=role,
            planned_at=d["planned_at"],
            invitation=d["invitation"],
            interviewee=d.get("interviewee"),
            subject=d.get("subject"),
            description=d.get("description", ""),
        ),
        anchor="interviews",
        success=_("The interview is planned and the invitation is sent."),
    )


@staff_required
@require_POST
def record_interview(request, investigation_id, interview_id):
    investigation = selectors.investigation_for(request.user, investigation_id)
    _require(request.user, investigation, StepRole.INVESTIGATOR)
    interview = selectors.interview_in(investigation, interview_id)
    form = staff_forms.RecordInterviewForm(request.POST, interview_id=interview.pk)
    return _handle(
        request,
        investigation,
        f"record-{interview.pk}",
        form,
        lambda d: services.record_interview(request.user, interview, d["text"], d["adviser"]),
        anchor=f"interview-{interview.pk}",
        success=_("The record is saved and offered to the interviewee for approval."),
    )


# --- Reports -----------------------------------------------------------------------------------


@staff_required
@require_POST
def generate_report(request, investigation_id, kind):
    investigation = selectors.investigation_for(request.user, investigation_id)
    if kind not in ReportVersionKind.values:
        raise Http404
    _require(request.user, investigation, StepRole.INVESTIGATOR)
    try:
        services.generate_report(request.user, investigation, kind)
    except REFUSALS as error:
        return _refused(request, investigation, error, "reports")
    messages.success(request, _("The report is generated."))
    return _to_page(investigation, "reports")


@staff_required
@require_POST
def offer_draft(request, investigation_id):
    investigation = selectors.investigation_for(request.user, investigation_id)
    _require(request.user, investigation, StepRole.INVESTIGATOR)
    try:
        services.offer_draft(request.user, investigation)
    except REFUSALS as error:
        return _refused(request, investigation, error, "reports")
    messages.success(request, _("The draft report is offered to the subject for a response."))
    return _to_page(investigation, "reports")


# --- Investigators and workload ----------------------------------------------------------------


def _workload_page(request, bound: dict | None = None):
    organisations = access.workload_organisations(request.user)
    groups = [
        (organisation, panels.workload(organisation, bound)) for organisation in organisations
    ]
    return render(request, "investigations/staff/investigators.html", {"groups": groups})


@staff_required
def investigators(request):
    if not access.workload_organisations(request.user).exists():
        raise Http404
    return _workload_page(request)


@staff_required
@require_POST
def investigator_profile(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    if not selectors.oversees_investigator(request.user, person):
        raise Http404
    profile = selectors.profile_of(person)
    form = staff_forms.InvestigatorProfileForm(request.POST, instance=profile, user_id=person.pk)
    if not form.is_valid():
        messages.error(request, _("Not saved: check the fields marked below."))
        return _workload_page(request, {f"profile-{person.pk}": form})
    services.save_investigator_profile(request.user, person, **form.cleaned_data)
    messages.success(request, _("The profile of %(person)s is saved.") % {"person": person})
    return redirect(reverse("investigations:investigators") + f"#investigator-{person.pk}")
