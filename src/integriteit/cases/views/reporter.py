"""The reporter's side of case handling, inside the mailbox (/postbus/...): the evaluation and a
complaint about the handling. No account: the mailbox session names the one report
(reports.views.mailbox.mailbox_report). Works without JavaScript; never shows staff names."""

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.reports.constants import Kind
from integriteit.reports.receipts import new_submission_token
from integriteit.reports.views.common import held_receipt, hold_receipt
from integriteit.reports.views.mailbox import mailbox_report

from .. import services
from ..mailbox import open_evaluation
from ..reporter_forms import ComplaintForm, EvaluationForm

# The complaint form's token: it makes sending idempotent and the complaint's receipt code is
# derived from it (reports ADR 0005), so the session holds the token, never the code.
COMPLAINT_TOKEN_KEY = "complaint_form_token"  # noqa: S105 (a session key name)
COMPLAINT_RECEIPT_KEY = "complaint_receipt"


@require_POST
def evaluation(request):
    report = mailbox_report(request)
    if report is None:
        return redirect("reports:mailbox_login")
    found = open_evaluation(report)
    if found is None:
        messages.error(request, _("There is no evaluation to answer yet."))
        return redirect("reports:mailbox")
    if found.answered_at is not None:
        messages.info(request, _("You already answered the evaluation. Thank you."))
        return redirect("reports:mailbox")
    form = EvaluationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_evaluation(
                report,
                felt_safe=data["felt_safe"],
                kept_informed=data["kept_informed"],
                taken_seriously=data["taken_seriously"],
                would_report_again=data["would_report_again"],
                comment=data["comment"],
            )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("reports:mailbox")
    return render(request, "cases/reporter/evaluation.html", {"form": form})


@require_http_methods(["GET", "POST"])
def complaint(request):
    report = mailbox_report(request)
    if report is None:
        return redirect("reports:mailbox_login")
    if report.kind == Kind.HANDLING_COMPLAINT:
        # After the internal complaint route comes the National Ombudsman (seed 004 §6).
        messages.info(
            request,
            _(
                "This is already a complaint. If you are not satisfied with how it is handled, "
                "you can go to the National Ombudsman."
            ),
        )
        return redirect("reports:mailbox")
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        if form.is_valid():
            token = form.cleaned_data["token"]
            expected = request.session.get(COMPLAINT_TOKEN_KEY)
            if not (expected and secrets.compare_digest(expected, token)):
                if held_receipt(request.session.get(COMPLAINT_RECEIPT_KEY)) is not None:
                    return redirect("cases:mailbox_complaint_received")
                messages.info(
                    request,
                    _("This complaint was already sent. Check the mailbox of your complaint."),
                )
                return redirect("reports:mailbox")
            try:
                # Idempotent on the token: a double click or a second send files one complaint.
                filed, _code = services.file_complaint(report, form.cleaned_data["text"], token)
            except services.CaseError as error:
                form.add_error("text", str(error))
            else:
                request.session.pop(COMPLAINT_TOKEN_KEY, None)
                request.session[COMPLAINT_RECEIPT_KEY] = hold_receipt(filed, token)
                return redirect("cases:mailbox_complaint_received")
    else:
        token = new_submission_token()
        request.session[COMPLAINT_TOKEN_KEY] = token
        form = ComplaintForm(initial={"token": token})
    return render(request, "cases/reporter/complaint.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
def complaint_received(request):
    """The complaint's receipt code, derived again from its token on every load, until the
    reporter says she has written it down (POST) or the browser session ends."""
    if request.method == "POST":
        request.session.pop(COMPLAINT_RECEIPT_KEY, None)
        return redirect("reports:mailbox")
    receipt = held_receipt(request.session.get(COMPLAINT_RECEIPT_KEY))
    if receipt is None:
        return redirect("reports:mailbox")
    return render(request, "cases/reporter/complaint_received.html", {"receipt": receipt})
