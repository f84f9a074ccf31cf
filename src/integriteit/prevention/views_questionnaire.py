"""The employees' input: the coordinator's questionnaire pages and workshop outcomes, and the
public pages where an employee answers by invitation link, without logging in (issue 12 §2)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from integriteit.accounts.decorators import staff_required
from integriteit.figures.exports import csv_download

from . import questionnaire as service
from . import selectors_analyses as selectors
from .access_analyses import may_edit
from .questionnaire_forms import AnswerForm, InviteForm, QuestionnaireForm, WorkshopForm

SESSION_KEY = "prevention_invitation"  # the digest of the invitation being answered


def _detail(questionnaire) -> str:
    return reverse("prevention:questionnaire_detail", args=[questionnaire.pk])


def _analysis(analysis) -> str:
    return reverse("prevention:analyses:detail", args=[analysis.pk]) + "#input-heading"


@require_http_methods(["GET", "POST"])
@staff_required
def questionnaire_new(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = service.create_questionnaire(request.user, analysis, form.cleaned_data)
        except service.QuestionnaireRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The questionnaire was made. Open it and invite."))
            return redirect(_detail(created))
    return render(
        request, "prevention/questionnaire_form.html", {"form": form, "analysis": analysis}
    )


@require_safe
@staff_required
def questionnaire_detail(request, questionnaire_id):
    questionnaire = selectors.questionnaire_for(request.user, questionnaire_id)
    writes = may_edit(request.user, questionnaire.analysis)
    return render(
        request,
        "prevention/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "analysis": questionnaire.analysis,
            "results": service.results(request.user, questionnaire),
            "may_edit": writes,
            "invite_form": InviteForm() if writes and questionnaire.status != "closed" else None,
        },
    )


def _step(request, questionnaire_id, step, done: str):
    questionnaire = selectors.questionnaire_for(request.user, questionnaire_id, edit=True)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm."))
    else:
        try:
            step(request.user, questionnaire)
        except service.QuestionnaireRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
    return redirect(_detail(questionnaire))


@require_POST
@staff_required
def questionnaire_open(request, questionnaire_id):
    return _step(
        request, questionnaire_id, service.open_questionnaire, _("The questionnaire is open.")
    )


@require_POST
@staff_required
def questionnaire_close(request, questionnaire_id):
    return _step(
        request, questionnaire_id, service.close_questionnaire, _("The questionnaire is closed.")
    )


@require_POST
@staff_required
def questionnaire_invite(request, questionnaire_id):
    """The new invitation links as a CSV file: the only time they exist in clear."""
    questionnaire = selectors.questionnaire_for(request.user, questionnaire_id, edit=True)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["count"]))
        return redirect(_detail(questionnaire))
    try:
        codes = service.issue_invitations(request.user, questionnaire, form.cleaned_data["count"])
    except service.QuestionnaireRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(_detail(questionnaire))
    rows = [[_("Invitation link")], *([service.link_of(code)] for code in codes)]
    return csv_download(f"uitnodigingen-{questionnaire.pk}", rows)


@require_http_methods(["GET", "POST"])
@staff_required
def workshop_new(request, analysis_id):
    analysis = selectors.analysis_for(request.user, analysis_id, edit=True)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.add_workshop(request.user, analysis, form.cleaned_data)
        except service.QuestionnaireRefused as refusal:
            form.add_error("held_on", str(refusal))
        else:
            messages.success(
                request,
                _("The workshop was recorded. Add the risks it named, with the source “workshop”."),
            )
            return redirect(_analysis(analysis))
    return render(request, "prevention/workshop_form.html", {"form": form, "analysis": analysis})


# --- The employee's pages: no login ----------------------------------------------------------


@require_safe
def answer_link(request, code):
    """The invitation link: remembered in the session (as its digest), then off the address
    bar and out of the history."""
    code_digest = service.digest(code)
    if service.invitation_for(code_digest) is None:
        return render(request, "prevention/answer_invalid.html", status=404)
    request.session[SESSION_KEY] = code_digest
    return redirect("prevention:answer")


@require_http_methods(["GET", "POST"])
def answer(request):
    code_digest = request.session.get(SESSION_KEY)
    invitation = service.invitation_for(code_digest) if code_digest else None
    if invitation is None:
        return render(request, "prevention/answer_invalid.html", status=404)
    questionnaire = invitation.questionnaire
    form = AnswerForm(request.POST or None, matrix=questionnaire.analysis.matrix)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.answer(
                code_digest,
                service.AnswerValues(
                    activities=data["activities"],
                    risk=data["risk"],
                    likelihood=data["likelihood"],
                    impact=data["impact"],
                    measure=data["measure"],
                ),
            )
        except service.QuestionnaireRefused:
            return render(request, "prevention/answer_invalid.html", status=404)
        del request.session[SESSION_KEY]
        return redirect("prevention:answered")
    return render(
        request, "prevention/answer_form.html", {"form": form, "questionnaire": questionnaire}
    )


@require_safe
def answered(request):
    return render(request, "prevention/answered.html")
