"""The case handling panels of the case page: one builder each, reading one selector (records
with their sealed text opened) and offering the forms the domain allows this user now
(`PanelInput.allowed`, from cases.guards). Registered in CasesConfig.ready()."""

from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import Action
from integriteit.accounts.selectors import staff_of
from integriteit.deadlines.services import feedback_due
from integriteit.reports.constants import Phase, RaisedBefore
from integriteit.reports.forms import AcknowledgeForm, StaffMessageForm
from integriteit.reports.models import Report
from integriteit.reports.selectors import content_of, messages_of, report_attachments
from integriteit.ui import dates

from ... import forms, selectors
from ...constants import CaseRole
from .registry import CasePanel, PanelInput, register


def report_panel(page: PanelInput) -> dict[str, Any]:
    """What the reporter wrote, and the files. Who the reporter is shows in the summary at the
    top (views.workspace.case_summary), on every section."""
    report = page.report
    content = page.read(content_of)  # the one read of the contents on the page
    return {
        "content": content,
        "raised_before_label": RaisedBefore(content.raised_before).label
        if content.raised_before
        else "",
        "files": report_attachments(report),
        "reported_types": report.reported_types.all(),
        "classified_types": report.classified_types.all(),
    }


def default_acknowledgement(report: Report) -> str:
    return _(
        "Thank you for your report %(reference)s. We received it on %(date)s. "
        "An integrity coordinator will assess it. You will hear from us no later than %(feedback)s. "
        "If we have questions, you will find them here in your mailbox."
    ) % {
        "reference": report.reference,
        # Written as every date the reporter reads is (issue 10 defect 7), not 08-03-2027; and
        # the term this acknowledgement starts (RULES R4), the one her mailbox shows once it is
        # sent, not the provisional one counted from the acknowledgement's own deadline.
        "date": dates.day(report.received_at),
        "feedback": dates.day(
            feedback_due(report.received_at, timezone.now())
            if report.received_at
            else report.feedback_due
        ),
    }


def acknowledge_panel(page: PanelInput) -> dict[str, Any] | None:
    if not page.allowed("acknowledge"):
        return None
    # Both this form and the message form name their field "text": the ids carry the form's
    # name (issue 10 defect 7: a label focused the other form's field).
    form = AcknowledgeForm(
        initial={"text": default_acknowledgement(page.report)}, auto_id="acknowledge-%s"
    )
    return {"form": form}


def mailbox_panel(page: PanelInput) -> dict[str, Any]:
    return {
        "timeline": messages_of(page.report, for_staff=True),
        # A message refused for bad input comes back as typed (views.workspace.send_message).
        "form": page.form(
            "message", page.allowed("send_message"), lambda: StaffMessageForm(auto_id="message-%s")
        ),
    }


def history_panel(page: PanelInput) -> dict[str, Any]:
    return {"rows": page.read(selectors.history_of)}


def unit_panel(page: PanelInput) -> dict[str, Any]:
    # The unit concerned is part of the report's classification, not a case action.
    return {"may_set": Action.CLASSIFY in page.actions}


def people_panel(page: PanelInput) -> dict[str, Any]:
    report = page.report
    roles: list[str] = []
    if page.allowed("assign"):
        # The competent authority commissions the investigation: it may assign the investigator.
        roles = list(CaseRole) if Action.ASSIGN in page.actions else [CaseRole.INVESTIGATOR]
    # Who is named (refused as assignee) comes from the contents the page read once; contents
    # that could not be read offer no assignment, with a note (the report panel shows why).
    content = page.read(content_of) if roles else None
    blocked = content is not None and not content.readable
    make = partial(forms.AssignForm, report=report, content=content)
    return {
        "assignments": page.read(selectors.active_assignments),
        "assign_forms": []
        if blocked
        else [page.form(f"assign-{role}", True, partial(make, role=role)) for role in roles],
        "assign_blocked": blocked,
        "may_end_assignments": page.allowed("end_assignment"),
    }


def _assessment_initial(report: Report, record: selectors.AssessmentRecord) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if record.assessment is not None:
        initial = {
            "in_scope": {True: "yes", False: "no"}.get(record.assessment.in_scope),
            "urgency": record.assessment.urgency,
            "notes": record.notes,
        }
    initial["kind"] = report.classified_kind or report.kind
    initial["violation_types"] = [
        t.code for t in (report.classified_types.all() or report.reported_types.all())
    ]
    return initial


def assessment_panel(page: PanelInput) -> dict[str, Any] | None:
    record = page.read(selectors.assessment_of)
    form = page.form(
        "assessment",
        page.allowed("record_assessment"),
        lambda: forms.AssessmentForm(initial=_assessment_initial(page.report, record)),
    )
    editable = page.allowed("check_conflict_item")
    if not (record.assessment or form or editable):
        return None
    return {"record": record, "form": form, "checklist_editable": editable}


def follow_up_panel(page: PanelInput) -> dict[str, Any] | None:
    record = page.read(selectors.follow_up_of)
    decide = page.form("follow-up", page.allowed("decide_follow_up"), forms.FollowUpForm)
    outcome = page.form(
        "outcome",
        page.allowed("record_outcome"),
        lambda: forms.OutcomeForm(initial={"outcome": record.outcome}),
    )
    if not (record.follow_up or decide):
        return None
    return {"record": record, "form": decide, "outcome_form": outcome}


def subjects_panel(page: PanelInput) -> dict[str, Any] | None:
    record = page.read(selectors.subjects_of)
    inform = page.allowed("record_subject_informed")
    rows = [
        (
            row,
            page.form(
                f"informed-{row.subject.pk}",
                inform,
                partial(forms.SubjectInformedForm, subject=row.subject),
            ),
        )
        for row in record.subjects
    ]
    form = page.form(
        "subject",
        page.allowed("record_subject"),
        lambda: forms.SubjectForm(people=staff_of(page.report.organisation)),
    )
    if not (rows or form):
        return None
    return {"rows": rows, "form": form}


def _decision_initial(record: selectors.DecisionRecord) -> dict[str, Any]:
    if record.decision is None:
        return {"decided_on": forms.today()}
    return {
        "summary": record.summary,
        "decided_on": timezone.localtime(record.decision.decided_at).date(),
        **{
            f"finding_{f.violation_type.code}": "yes" if f.established else "no"
            for f in record.findings
        },
    }


def decision_panel(page: PanelInput) -> dict[str, Any] | None:
    """The competent authority's decision, hearings (RULES R10) and measures (R11, R13)."""
    report = page.report
    decision = page.read(selectors.decision_of)
    subjects = page.read(selectors.subjects_of)
    subject_qs = report.subjects.order_by("recorded_at", "pk")
    decide = page.form(
        "decision",
        page.allowed("record_decision"),
        lambda: forms.DecisionForm(
            types=list(report.classified_types.all()), initial=_decision_initial(decision)
        ),
    )
    order_form = page.form(
        "order",
        page.allowed("impose_order_measure"),
        lambda: forms.OrderMeasureForm(subjects=subject_qs),
    )
    if not (
        decision.decision or subjects.measures or subjects.order_measures or decide or order_form
    ):
        return None
    lift = page.allowed("lift_order_measure")
    return {
        "in_decision_phase": report.phase == Phase.DECISION,
        "record": decision,
        "measures_without_subject": subjects.measures_without_subject,
        "form": decide,
        "hearing_form": page.form(
            "hearing",
            page.allowed("record_hearing"),
            lambda: forms.HearingRecordForm(subjects=subject_qs),
        ),
        "measure_form": page.form(
            "measure",
            page.allowed("impose_measure"),
            lambda: forms.MeasureForm(subjects=subject_qs, initial={"imposed_on": forms.today()}),
        ),
        "order_measures": [
            (
                order,
                page.form(
                    f"lift-{order.measure.pk}",
                    lift and order.measure.lifted_on is None,
                    partial(forms.LiftOrderMeasureForm, measure_id=order.measure.pk),
                ),
            )
            for order in subjects.order_measures
        ],
        "order_form": order_form,
    }


def feedback_panel(page: PanelInput) -> dict[str, Any] | None:
    record = page.read(selectors.feedback_of)
    interim = page.form(
        "feedback-interim",
        page.allowed("give_interim_feedback"),
        lambda: forms.FeedbackForm(kind="interim"),
    )
    final = page.form(
        "feedback-final",
        page.step_open("give_final_feedback", "give_final_feedback"),
        lambda: forms.FeedbackForm(kind="final"),
    )
    if not (record.given or interim or final or record.final_due):
        return None
    return {"record": record, "interim_form": interim, "final_form": final}


def aftercare_panel(page: PanelInput) -> dict[str, Any] | None:
    records = page.read(selectors.aftercare_of)
    finish = page.allowed("finish_aftercare")
    rows = [
        (
            care,
            page.form(
                f"cancel-{care.action.pk}",
                finish and care.action.is_open,
                partial(forms.AftercareCancelForm, action_id=care.action.pk),
            ),
        )
        for care in records
    ]
    plan = page.form("aftercare", page.allowed("plan_aftercare"), forms.AftercarePlanForm)
    invitation = page.form(
        "invitation",
        page.step_open("complete_aftercare", "complete_aftercare"),
        lambda: forms.EvaluationInvitationForm(
            initial={"invitation": default_invitation(page.report)}
        ),
    )
    if not (rows or plan or invitation):
        return None
    return {"rows": rows, "form": plan, "invitation_form": invitation}


def signals_panel(page: PanelInput) -> dict[str, Any] | None:
    """Signals of disadvantage to the reporter (RULES R8)."""
    signals = page.read(selectors.signals_of)
    form = page.form("signal", page.allowed("record_disadvantage"), forms.DisadvantageForm)
    if not (signals or form):
        return None
    return {
        "signals": signals,
        "unhandled": sum(1 for signal, _d in signals if signal.handled_at is None),
        "may_handle": page.allowed("handle_disadvantage"),
        "form": form,
    }


def reopen_panel(page: PanelInput) -> dict[str, Any] | None:
    form = page.form(
        "reopen", page.allowed("reopen"), partial(forms.ReopenForm, auto_id="reopen-%s")
    )
    return {"form": form} if form is not None else None


def default_invitation(report: Report) -> str:
    return _(
        "Your report %(reference)s has been handled. We would like to know how you experienced "
        "the process: did you feel safe, were you kept informed, were you taken seriously? "
        "Answering takes a few minutes and helps us improve. You can answer in your mailbox."
    ) % {"reference": report.reference}


def _at(*anchors: str) -> frozenset[str]:
    return frozenset(anchors)


# The order leaves room between the panels for those of later modules (investigations: 60);
# within a section the panels come in this order.
CASE_PANELS = (
    CasePanel("report", "cases/panels/report.html", 5, report_panel, section="overview"),
    # Beside what the reporter wrote: a coordinator reads the report before acknowledging it.
    CasePanel(
        "acknowledge",
        "cases/panels/acknowledge.html",
        6,
        acknowledge_panel,
        section="overview",
        anchors=_at("step-acknowledge"),
    ),
    CasePanel("unit", "cases/panels/unit.html", 10, unit_panel, anchors=_at("unit-heading")),
    CasePanel(
        "people",
        "cases/panels/people.html",
        20,
        people_panel,
        section="people",
        anchors=_at("assign-"),
    ),
    CasePanel(
        "assessment",
        "cases/panels/assessment.html",
        30,
        assessment_panel,
        anchors=_at("conflict-checklist"),
    ),
    CasePanel(
        "follow_up",
        "cases/panels/follow_up.html",
        40,
        follow_up_panel,
        section="investigation",
        anchors=_at("follow-up", "step-follow-up"),
    ),
    CasePanel(
        "subjects",
        "cases/panels/subjects.html",
        50,
        subjects_panel,
        section="people",
        anchors=_at("subject-"),
    ),
    CasePanel(
        "decision",
        "cases/panels/decision.html",
        70,
        decision_panel,
        section="decision",
        anchors=_at("hearings", "measures", "order-measures"),
    ),
    CasePanel(
        "feedback",
        "cases/panels/feedback.html",
        80,
        feedback_panel,
        section="mailbox",
        anchors=_at("step-give_final_feedback"),
    ),
    CasePanel("mailbox", "cases/panels/mailbox.html", 85, mailbox_panel, section="mailbox"),
    CasePanel(
        "aftercare",
        "cases/panels/aftercare.html",
        90,
        aftercare_panel,
        section="decision",
        anchors=_at("aftercare-", "step-complete_aftercare"),
    ),
    CasePanel(
        "signals",
        "cases/panels/signals.html",
        95,
        signals_panel,
        anchors=_at("disadvantage", "signal-"),
    ),
    CasePanel(
        "reopen",
        "cases/panels/reopen.html",
        100,
        reopen_panel,
        section="history",
        phases=frozenset({"closed"}),
        anchors=_at("step-reopen"),
    ),
    CasePanel("history", "cases/panels/history.html", 110, history_panel, section="history"),
)


def register_case_panels() -> None:
    for panel in CASE_PANELS:
        register(panel)
