"""What the staff screens of an investigation show: the case panel (commissioning and the list of
investigations), the investigation page (every step in order, what it requires, who does it,
what is missing, the forms the current user may use now) and the investigators' workload.
Reads only; the services decide, and `acts_as` says which forms exist for the user.
Time limits show like case deadlines: `deadlines.services.deadline` decides "due soon" for both
(one setting, DUE_SOON_DAYS), so the page and the reminders agree (issue 9 defect 4)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from integriteit.access.rules import Action, can
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.accounts.selectors import staff_of
from integriteit.cases import people
from integriteit.cases import services as case_services
from integriteit.cases.constants import AssignmentRefusal, CaseRole
from integriteit.cases.forms import subject_label
from integriteit.deadlines.services import Deadline, deadline
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.reports.sealing import Content
from integriteit.reports.selectors import content_of
from integriteit.ui.integrity import for_display, unreadable_note

from . import selectors, services, staff_forms
from .constants import IntervieweeRole, ReportVersionKind, StepRole, StepState
from .models import Interview, Investigation, InvestigationMember, StepRecord

# --- The case panel ----------------------------------------------------------------------------


@dataclass
class InvestigationRow:
    investigation: Investigation
    completed: int
    total: int
    current: StepRecord | None
    deadline: Deadline
    may_open: bool


def investigator_refusals(report: Report) -> dict[int, list[str]]:
    """Per candidate investigator, why they cannot take this case (independence check)."""
    refusals = {}
    for person in case_services.candidates(report, CaseRole.INVESTIGATOR):
        if reasons := selectors.investigator_refusals(report, person):
            refusals[person.pk] = reasons
    return refusals


def commission_form(
    report: Report, data=None, content: Content | None = None
) -> staff_forms.CommissionForm:
    """Offers only the investigators commissioning would accept (the rule of
    `cases.services.assignable`, as `selectors.investigator_refusals`): nobody excluded from
    the case, named in it, in conflict or from the subject's unit (issue 10 defect 7).
    `content`: the report's contents as the case page read them (once per page)."""
    return staff_forms.CommissionForm(
        data,
        candidates=case_services.assignable(
            report,
            CaseRole.INVESTIGATOR,
            allowed={AssignmentRefusal.ALREADY_ASSIGNED},
            content=content,
        ),
        refusals={},
    )


def progress(investigation: Investigation) -> tuple[int, int, StepRecord | None]:
    recs = selectors.records(investigation)
    completed = sum(1 for r in recs if r.completed_at)
    current = next((r for r in recs if selectors.state_of(r) == StepState.OPEN), None)
    return completed, len(recs), current


def case_panel(
    user: User,
    report: Report,
    bound: dict | None = None,
    read_content: Callable[[], Content] | None = None,
) -> dict[str, Any]:
    """`read_content()`: the report's contents as the case page reads them, once per page
    (`PanelInput.read(content_of)`); contents that could not be read offer no commissioning
    (who is named, and so refused as investigator, is unknown), with a note."""
    rows = []
    for investigation in report.investigations.select_related("protocol").order_by(
        "commissioned_at"
    ):
        visible = selectors.may_view(user, investigation)
        if not visible:
            continue
        completed, total, current = progress(investigation)
        rows.append(
            InvestigationRow(
                investigation,
                completed,
                total,
                current,
                deadline(
                    "investigation",
                    investigation.deadline,
                    investigation.completed_at,
                    timezone.now(),
                ),
                visible,
            )
        )
    may_commission = (
        report.phase == Phase.INVESTIGATION
        and can(user, Action.DECIDE, report)
        and not report.investigations.filter(completed_at__isnull=True).exists()
    )
    form = None
    blocked = False
    if may_commission:
        form = (bound or {}).get("commission")
        if form is None:
            content = read_content() if read_content is not None else content_of(report)
            blocked = not content.readable
            form = None if blocked else commission_form(report, content=content)
    return {
        "show": bool(rows) or may_commission,
        "rows": rows,
        "commission_form": form,
        "commission_blocked": blocked,
        "in_phase": report.phase == Phase.INVESTIGATION,
    }


# --- The investigation page --------------------------------------------------------------------


@dataclass
class Requirement:
    label: str
    present: bool
    value: str = ""


@dataclass
class StepRow:
    record: StepRecord
    state: str
    state_label: Any
    role_label: Any
    fields: list[Requirement]
    documents: list[Requirement]
    uploaded: list[Any]
    gaps: list[str]
    due: Deadline | None
    deviation_reason: str = ""
    mine: bool = False
    forms: dict[str, Any] = field(default_factory=dict)
    may_complete: bool = False
    may_request_deviation: bool = False
    may_approve_deviation: bool = False


@dataclass
class InterviewRow:
    interview: Interview
    name: str
    adviser: str
    record: str
    comment: str
    record_form: Any = None


def _interviewee_name(interview: Interview) -> str:
    if interview.subject_id and interview.subject is not None:
        return subject_label(interview.subject)
    interviewee = people.person_of(interview, "interviewee")
    if interviewee is not None:
        return str(interviewee)
    if interview.sealed_interviewee_description:
        return selectors.shown_on(interview, "sealed_interviewee_description")
    return ""


def _open_document_name(document) -> str:
    from integriteit.reports.sealing import sealer_for

    if not document.sealed_name:
        return ""
    return sealer_for(document.report).open_text(
        f"{document._meta.model_name}:{document.pk}", "name", bytes(document.sealed_name)
    )


_document_name = for_display(_open_document_name, unreadable_note)


def step_rows(user: User, investigation: Investigation, bound: dict) -> list[StepRow]:
    roles = {role: selectors.acts_as(user, investigation, role) for role in StepRole.values}
    documents = list(investigation.documents.all())
    rows = []
    for rec in selectors.records(investigation):
        step = rec.step
        state = selectors.state_of(rec)
        values = selectors.values_of(rec)
        kinds = {d.kind for d in documents if d.step_id == step.pk}
        row = StepRow(
            record=rec,
            state=state,
            state_label=StepState(state).label,
            role_label=StepRole(step.responsible_role).label,
            fields=[
                Requirement(
                    f["label"],
                    bool(str(values.get(f["code"], "")).strip()),
                    values.get(f["code"], ""),
                )
                for f in step.required_fields
            ],
            documents=[
                Requirement(d["label"], d["code"] in kinds) for d in step.required_documents
            ],
            uploaded=[(d, _document_name(d)) for d in documents if d.step_id == step.pk],
            gaps=services.step_gaps(investigation, rec)
            if state in {StepState.OPEN, StepState.DEFERRED}
            else [],
            due=deadline(step.code, rec.due_on, rec.completed_at, timezone.now())
            if rec.due_on
            else None,
        )
        if rec.sealed_deviation_reason:
            row.deviation_reason = selectors.shown_on(rec, "sealed_deviation_reason")
        active = state in {StepState.OPEN, StepState.DEFERRED}
        row.mine = active and roles[step.responsible_role]
        if row.mine:
            if step.required_fields:
                row.forms["fields_form"] = bound.get(
                    f"values-{step.code}"
                ) or staff_forms.StepValuesForm(step=step, initial=values)
            row.forms["document"] = bound.get(f"document-{step.code}") or staff_forms.DocumentForm(
                step=step
            )
            row.may_complete = True
            if (
                state == StepState.OPEN
                and step.deviation_allowed
                and rec.deviation_requested_at is None
            ):
                row.may_request_deviation = True
                row.forms["deviation"] = bound.get(
                    f"deviation-{step.code}"
                ) or staff_forms.DeviationForm(step=step)
        row.may_approve_deviation = (
            state == StepState.OPEN
            and rec.deviation_requested_at is not None
            and roles[StepRole.COMPETENT_AUTHORITY]
        )
        rows.append(row)
    return rows


def interview_rows(user: User, investigation: Investigation, bound: dict) -> list[InterviewRow]:
    investigator = selectors.acts_as(user, investigation, StepRole.INVESTIGATOR)
    interviews_open = _active(investigation, "interviews")
    rows = []
    for interview in investigation.interviews.select_related("subject"):
        record = selectors.shown_on(interview, "sealed_record") if interview.sealed_record else ""
        adviser = selectors.shown_on(interview, "sealed_adviser")
        row = InterviewRow(
            interview=interview,
            name=_interviewee_name(interview),
            adviser=adviser,
            record=record,
            comment=selectors.shown_on(interview, "sealed_comment")
            if interview.sealed_comment
            else "",
        )
        if investigator and interviews_open and interview.approved_at is None:
            row.record_form = bound.get(
                f"record-{interview.pk}"
            ) or staff_forms.RecordInterviewForm(
                interview_id=interview.pk,
                initial={"text": record, "adviser": adviser},
            )
        rows.append(row)
    return rows


def _active(investigation: Investigation, code: str) -> bool:
    rec = investigation.step_records.select_related("step").filter(step__code=code).first()
    return rec is not None and selectors.state_of(rec) in {StepState.OPEN, StepState.DEFERRED}


def _open(investigation: Investigation, code: str) -> bool:
    rec = investigation.step_records.select_related("step").filter(step__code=code).first()
    return rec is not None and selectors.state_of(rec) == StepState.OPEN


def plan_forms(user: User, investigation: Investigation, bound: dict) -> list:
    if not (
        selectors.acts_as(user, investigation, StepRole.INVESTIGATOR)
        and _active(investigation, "interviews")
    ):
        return []
    report = investigation.report
    return [
        bound.get(f"plan-{role}")
        or staff_forms.PlanInterviewForm(
            role=role,
            report=report,
            staff=staff_of(report.organisation),
            invitation=services.default_invitation(role),
        )
        for role in (IntervieweeRole.WITNESS, IntervieweeRole.SUBJECT)
    ]


def version_rows(investigation: Investigation) -> list[dict]:
    rows = []
    for version in investigation.report_versions.select_related("generated_by"):
        rows.append(
            {
                "version": version,
                "response": selectors.shown_on(version, "sealed_subject_response")
                if version.sealed_subject_response
                else "",
            }
        )
    return rows


def investigation_page(user: User, investigation: Investigation, bound: dict | None = None):
    bound = bound or {}
    investigator = selectors.acts_as(user, investigation, StepRole.INVESTIGATOR)
    completed, total, current = progress(investigation)
    draft = (
        investigation.report_versions.filter(kind=ReportVersionKind.DRAFT)
        .order_by("-generated_at")
        .first()
    )
    return {
        "investigation": investigation,
        "report": investigation.report,
        "protocol": investigation.protocol,
        "assignment": selectors.shown_on(investigation, "sealed_assignment"),
        "members": investigation.members.filter(ended_at__isnull=True).select_related("user"),
        "steps": step_rows(user, investigation, bound),
        "completed": completed,
        "total": total,
        "current": current,
        "overall": deadline(
            "investigation", investigation.deadline, investigation.completed_at, timezone.now()
        ),
        "interviews": interview_rows(user, investigation, bound),
        "interviews_active": _active(investigation, "interviews"),
        "plan_forms": plan_forms(user, investigation, bound),
        "versions": version_rows(investigation),
        "may_generate_draft": investigator and _open(investigation, "draft_report"),
        "may_generate_final": investigator and _open(investigation, "final_report"),
        "may_offer_draft": investigator
        and _open(investigation, "subject_response")
        and draft is not None
        and draft.offered_to_subject_at is None,
    }


# --- Investigators and workload ----------------------------------------------------------------


@dataclass
class WorkloadRow:
    person: User
    organisation: Organisation
    profile: Any
    open_investigations: int
    open_steps: int
    form: Any = None


def workload(organisation: Organisation, bound: dict | None = None) -> list[WorkloadRow]:
    """Investigators of the organisation (holders of the investigator role), each with the number
    of open investigations they are a member of and the open (or deferred) steps in them."""
    bound = bound or {}
    people = (
        User.objects.filter(
            pk__in=RoleAssignment.objects.filter(
                organisation=organisation, role=Role.INVESTIGATOR
            ).values("user"),
            is_active=True,
        )
        .select_related("investigator_profile")
        .order_by("last_name", "first_name")
    )
    open_memberships = InvestigationMember.objects.filter(
        ended_at__isnull=True, investigation__completed_at__isnull=True
    )
    investigations = dict(
        open_memberships.filter(user__in=people)
        .values_list("user")
        .annotate(n=Count("investigation", distinct=True))
    )
    open_steps = dict(
        StepRecord.objects.filter(
            opened_at__isnull=False,
            completed_at__isnull=True,
            investigation__completed_at__isnull=True,
        )
        .filter(
            Q(investigation__members__user__in=people)
            & Q(investigation__members__ended_at__isnull=True)
        )
        .values_list("investigation__members__user")
        .annotate(n=Count("pk", distinct=True))
    )
    rows = []
    for person in people:
        profile = getattr(person, "investigator_profile", None)
        rows.append(
            WorkloadRow(
                person=person,
                organisation=organisation,
                profile=profile,
                open_investigations=investigations.get(person.pk, 0),
                open_steps=open_steps.get(person.pk, 0),
                form=bound.get(f"profile-{person.pk}")
                or staff_forms.InvestigatorProfileForm(instance=profile, user_id=person.pk),
            )
        )
    return rows


# --- The investigations an investigator carries out (her landing) ----------------------------


@dataclass
class MyInvestigationRow:
    investigation: Investigation
    current: StepRecord | None  # the open step, None once every step is done
    next_deadline: Deadline  # the open step's time limit if it has one, else the overall one


def my_investigations(user: User) -> list[MyInvestigationRow]:
    """Per investigation of `user` (selectors.investigations_of): reference, phase, open step
    and the next time limit. No contents: the list is metadata only."""
    now = timezone.now()
    rows = []
    for investigation in selectors.investigations_of(user):
        current = selectors.current_record(investigation)
        if current is not None and current.due_on is not None:
            next_deadline = deadline("step", current.due_on, None, now)
        else:
            next_deadline = deadline(
                "investigation", investigation.deadline, investigation.completed_at, now
            )
        rows.append(MyInvestigationRow(investigation, current, next_deadline))
    return rows
