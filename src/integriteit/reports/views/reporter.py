"""The reporter's path: no login, no JavaScript needed, nothing identifying kept (SECURITY.md)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.organisations.selectors import active_organisations
from integriteit.ui.fragments import cache_rendering

from .. import services
from ..constants import Kind, MetadataHandling, RaisedBefore, Relation, ViolationTypeCode
from ..forms import OrganisationChoiceForm, ReportForm
from ..models import Report
from ..receipts import new_submission_token
from ..sealing import Content, Identity, open_content, open_identity, sealer_for
from ..selectors import report_attachments
from .common import held_receipt, hold_receipt

DRAFT_KEY = "report_draft"
# {"report": id, "token": submission token}: made on the check page, before anything is sent,
# and kept until the reporter says she has written down her code (ADR 0005, 0007).
SUBMISSION_KEY = "report_submission"


def start(request):
    """/melden/: what happens with a report, who sees it, and where to report."""
    form = OrganisationChoiceForm(request.GET or None, queryset=active_organisations())
    if request.GET and form.is_valid():
        return redirect("reports:report", slug=form.cleaned_data["organisation"].slug)
    return render(
        request, "reports/start.html", {"form": form, "organisations": active_organisations()}
    )


def _draft(request, *related: str) -> Report | None:
    """The session's draft, with the `related` objects (organisation, identity) in one query."""
    draft_id = request.session.get(DRAFT_KEY)
    if not draft_id:
        return None
    return Report.objects.drafts().select_related(*related).filter(pk=draft_id).first()


def input_from(form, organisation) -> services.ReportInput:
    data = form.cleaned_data
    return services.ReportInput(
        organisation=organisation,
        kind=data["kind"],
        relation=data["relation"],
        violation_types=data["violation_types"],
        involved_names=data["involved_names"],  # matched to staff by the service
        route_around_line=data["route_around_line"],
        meeting_requested=data["meeting_requested"],
        content=Content(
            description=data["description"],
            occurred_when=data["occurred_when"],
            occurred_where=data["occurred_where"],
            involved_text=data["involved_text"],
            raised_before=data["raised_before"],
            raised_with=data["raised_with"],
            minutes=data.get("minutes", ""),
        ),
        identity=Identity(name=data["name"], email=data["email"], phone=data["phone"]),
        files=data["attachments"],
    )


def _initial_from(draft: Report) -> dict:
    sealer = sealer_for(draft)
    content, identity = open_content(draft, sealer), open_identity(draft, sealer)
    return {
        "kind": draft.kind,
        "violation_types": list(draft.reported_types.values_list("code", flat=True)),
        "description": content.description,
        "occurred_when": content.occurred_when,
        "occurred_where": content.occurred_where,
        "involved_text": content.involved_text,
        # A draft from before typed names (issue 10 defect 5) had people chosen from a list.
        "involved_names": "\n".join(
            content.involved_names or [person["name"] for person in content.involved_staff]
        ),
        "route_around_line": draft.route_around_line,
        "raised_before": content.raised_before,
        "raised_with": content.raised_with,
        "relation": draft.relation,
        "anonymous": "1" if identity.is_empty else "0",
        "name": identity.name,
        "email": identity.email,
        "phone": identity.phone,
        "meeting_requested": draft.meeting_requested,
    }


def _render_once(form: ReportForm, organisation) -> None:
    """The blank form is the same for every visitor: its fields are rendered once per
    organisation and language (integriteit.ui.fragments). It holds no staff names."""
    cache_rendering(form, (organisation.pk,))


@require_http_methods(["GET", "POST"])
def report(request, slug):
    """/melden/<organisation>/: the report form; a valid form becomes a sealed draft."""
    organisation = get_object_or_404(active_organisations(), slug=slug)
    draft = _draft(request, "identity")
    if draft is not None and draft.organisation_id != organisation.pk:
        draft = None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, organisation=organisation)
        if form.is_valid():
            draft = services.save_draft(draft, input_from(form, organisation))
            request.session[DRAFT_KEY] = str(draft.pk)
            return redirect("reports:check")
        messages.error(request, _("Some answers need your attention. See the messages below."))
    elif draft is not None:
        form = ReportForm(initial=_initial_from(draft), organisation=organisation)
    else:
        form = ReportForm(organisation=organisation)
        _render_once(form, organisation)
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "organisation": organisation,
            "draft_files": report_attachments(draft, sealer=sealer_for(draft)) if draft else [],
        },
    )


def _submission_token(request, draft: Report) -> str:
    """The draft's submission token; a new one when the session has none for this draft."""
    held = request.session.get(SUBMISSION_KEY)
    if held and held["report"] == str(draft.pk):
        return held["token"]
    token = new_submission_token()
    request.session[SUBMISSION_KEY] = hold_receipt(draft, token)
    return token


def _already_sent(request) -> bool:
    """The session's report has been submitted with its token: show that receipt."""
    return held_receipt(request.session.get(SUBMISSION_KEY)) is not None


@require_http_methods(["GET", "POST"])
def check(request):
    """Summary before submitting: everything entered, who receives it, which files keep metadata."""
    draft = _draft(request, "organisation", "identity")
    if draft is None:
        if _already_sent(request):  # the back button after sending
            return redirect("reports:received")
        messages.info(request, _("There is no report to check. Start a new report."))
        return redirect("reports:start")
    if request.method == "POST" and "remove_file" in request.POST:
        services.remove_draft_attachment(draft, request.POST["remove_file"])
        return redirect("reports:check")
    # The token is in the session before "Send" can be pressed, so a submit whose answer never
    # arrives (an outage, a lost connection) can be repeated and shows the same code.
    _submission_token(request, draft)
    sealer = sealer_for(draft)  # the data key is unwrapped once for the whole page
    files = report_attachments(draft, sealer=sealer)
    content = open_content(draft, sealer)
    named = named_on_check_page(content)
    return render(
        request,
        "reports/check.html",
        {
            "draft": draft,
            "content": content,
            "named": named,
            "some_not_recognised": not all(recognised for _name, recognised in named),
            "identity": open_identity(draft, sealer),
            "kind_label": Kind(draft.kind).label,
            "relation_label": Relation(draft.relation).label,
            "raised_before_label": RaisedBefore(content.raised_before).label,
            "type_labels": [
                ViolationTypeCode(code).label
                for code in draft.reported_types.values_list("code", flat=True)
            ],
            "files": [(a, name, metadata_warning(a.metadata)) for a, name in files],
        },
    )


def named_on_check_page(content: Content) -> list[tuple[str, bool]]:
    """Each name the reporter typed, as typed, and whether it was recognised as one member of
    staff; nothing about the person is added, and nobody is suggested for the others."""
    recognised = {person.get("typed") for person in content.involved_staff}
    named = [(name, name in recognised) for name in content.involved_names]
    # A draft from before typed names: the people were chosen from the list.
    named += [(person["name"], True) for person in content.involved_staff if "typed" not in person]
    return named


def metadata_warning(handling: str) -> str:
    """What the reporter reads before sending: what removal achieved for this file, as stored,
    not what its type promises (issue 9 defect 5). Empty when everything was removed."""
    if handling == MetadataHandling.NOT_REMOVABLE:
        return _(
            "Warning: hidden information (such as the author) cannot be removed from this type of file."
        )
    if handling == MetadataHandling.PARTLY_REMOVED:
        return _(
            "Warning: not all hidden information could be removed from this file: it contains a "
            "picture or an embedded file whose author, location or other details may remain."
        )
    return ""


@require_POST
def submit(request):
    """Idempotent (ADR 0007): pressed twice, or again after an outage, it shows the same
    receipt and stores one report."""
    draft = _draft(request)
    if draft is None:
        if _already_sent(request):
            return HttpResponseRedirect(reverse("reports:received"))
        messages.info(request, _("There is no report to submit. Start a new report."))
        return redirect("reports:start")
    try:
        services.submit_draft(draft, _submission_token(request, draft))
    except services.TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect("reports:start")
    request.session.pop(DRAFT_KEY, None)
    return HttpResponseRedirect(reverse("reports:received"))


@require_http_methods(["GET", "POST"])
def received(request):
    """The receipt code, derived again from the session's token on every load, so a reload
    shows it again; until the reporter says she has written it down (POST), or the browser
    session ends (ADR 0005)."""
    if request.method == "POST":
        request.session.pop(SUBMISSION_KEY, None)
        messages.info(
            request, _("Your report has been sent. Open your mailbox with your receipt code.")
        )
        return redirect("reports:mailbox_login")
    receipt = held_receipt(request.session.get(SUBMISSION_KEY))
    if receipt is None:
        return redirect("reports:mailbox_login")
    return render(request, "reports/received.html", {"receipt": receipt})
