"""/postbus/: the reporter's mailbox, opened with the receipt code and nothing else."""

import math

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import mailbox_panels, services, throttle
from ..forms import MailboxLoginForm, MessageForm
from ..models import Report
from ..selectors import content_of, deadlines_of, messages_of, report_attachments
from .common import attachment_response

MAILBOX_KEY = "mailbox_report"
MAILBOX_USED_KEY = "mailbox_used_at"
MAILBOX_IDLE_SECONDS = 30 * 60


def mailbox_report(request) -> Report | None:
    """The one report this mailbox session was opened for, or None. Public: apps that add
    pages to the mailbox (see reports.mailbox_panels) use it to find the reporter's report.

    The idle limit is enforced here, on the server: the cookie itself ends when the browser
    closes and carries no expiry, so nothing stays on the reporter's device (ADR 0005). Every
    use restarts the timer."""
    session = request.session
    report_id = session.get(MAILBOX_KEY)
    if not report_id:
        return None
    now = timezone.now().timestamp()
    if now - session.get(MAILBOX_USED_KEY, 0) > MAILBOX_IDLE_SECONDS:
        session.pop(MAILBOX_KEY, None)
        session.pop(MAILBOX_USED_KEY, None)
        messages.info(
            request,
            _(
                "For your safety your mailbox was closed after %(minutes)d minutes without use. "
                "Open it again with your receipt code."
            )
            % {"minutes": MAILBOX_IDLE_SECONDS // 60},
        )
        return None
    session[MAILBOX_USED_KEY] = now
    return Report.objects.submitted().filter(pk=report_id).first()


def wait_message(seconds: int) -> str:
    return ngettext(
        "For your safety, wait %(seconds)d second, then press “Open mailbox” again. "
        "Your code has been kept.",
        "For your safety, wait %(seconds)d seconds, then press “Open mailbox” again. "
        "Your code has been kept.",
        seconds,
    ) % {"seconds": seconds}


def locked_message(seconds: int) -> str:
    """The true time left on this code's lock, in whole minutes rounded up."""
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts with this receipt code. For your safety it cannot be used for "
        "%(minutes)d more minute. Try again after that.",
        "Too many attempts with this receipt code. For your safety it cannot be used for "
        "%(minutes)d more minutes. Try again after that.",
        minutes,
    ) % {"minutes": minutes}


@require_http_methods(["GET", "POST"])
def login(request):
    """Every form carries a challenge (reports.throttle) whose wait grows with the failures
    site-wide; a code is checked only once its wait has passed (issue 10 defect 4)."""
    form = MailboxLoginForm(request.POST or None)
    keep = ""  # a challenge not used up goes back unchanged: its wait runs on
    fresh: throttle.Challenge | None = None
    if request.method == "POST" and not form.is_valid():
        if "challenge" not in form.errors:  # a junk one (too long) is replaced
            keep = form.data.get("challenge", "")
    elif request.method == "POST":
        challenge = form.cleaned_data["challenge"]
        try:
            report = services.open_mailbox(form.cleaned_data["code"], challenge)
        except services.MailboxTooEarly as early:
            if challenge:
                keep = challenge
                form.add_error(None, wait_message(early.seconds))
            else:  # a form without a challenge: the wait starts now, with a new one
                fresh = throttle.issue_challenge()
                form.add_error(None, wait_message(max(fresh.wait, 1)))
        except services.MailboxChallengeRefused:
            form.add_error(
                None,
                _(
                    "This page can no longer be used: it was open too long or was sent before. "
                    "Press “Open mailbox” again. Your code has been kept."
                ),
            )
        except services.MailboxLocked as locked:
            form.add_error(None, locked_message(locked.seconds))
        else:
            if report is None:
                form.add_error("code", _("This receipt code is not known. Check it and try again."))
            else:
                request.session.cycle_key()
                request.session[MAILBOX_KEY] = str(report.pk)
                request.session[MAILBOX_USED_KEY] = timezone.now().timestamp()
                return redirect("reports:mailbox")
    if not keep and fresh is None:
        fresh = throttle.issue_challenge()
    return render(
        request,
        "reports/mailbox_login.html",
        {
            "form": form,
            "challenge": keep or (fresh.token if fresh else ""),
            # Told before typing, unless an error already says how long to wait.
            "wait": fresh.wait if fresh and not form.non_field_errors() else 0,
        },
    )


@require_http_methods(["GET", "POST"])
def mailbox(request):
    report = mailbox_report(request)
    if report is None:
        return redirect("reports:mailbox_login")
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reporter_reply(
                    report, form.cleaned_data["text"], form.cleaned_data["attachments"]
                )
            except services.TransitionRefused as refused:
                # The report takes no messages (a rule, not the input): the reason on the
                # mailbox page, and no re-post on reload (issue 10; docs/workspace.md).
                messages.error(
                    request, _("Your message was not sent: %(reason)s") % {"reason": refused}
                )
                return redirect("reports:mailbox")
            messages.success(request, _("Your message has been sent."))
            return redirect("reports:mailbox")
        messages.error(request, _("Your message was not sent. See the messages below."))
    return render(
        request,
        "reports/mailbox.html",
        {
            "report": report,
            "form": form,
            "timeline": messages_of(report, for_staff=False),
            "own_files": report_attachments(report),
            "deadlines": deadlines_of(report),
            "minutes": content_of(report).minutes,
            "panels": mailbox_panels.render_panels(request, report),
        },
    )


def attachment(request, attachment_id):
    report = mailbox_report(request)
    if report is None:
        raise Http404
    found = report.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    return attachment_response(found)


@require_POST
def approve_minutes(request):
    report = mailbox_report(request)
    if report is None:
        return redirect("reports:mailbox_login")
    try:
        services.approve_minutes(report)
        messages.success(request, _("Thank you. You approved the minutes."))
    except services.TransitionRefused as error:
        messages.error(request, str(error))
    return redirect("reports:mailbox")


@require_POST
def logout(request):
    request.session.flush()
    messages.info(request, _("You have closed your mailbox."))
    return redirect("reports:mailbox_login")
