"""The draft and final investigation report, generated from the file (issue 4 §5; RULES R12).

`render_report(version)` gathers the ordered investigation file from the records, renders it as
HTML from `investigations/report_document.html`, turns that into a PDF with WeasyPrint and the
same content into an editable .docx with python-docx, and stores both sealed under the case's
data key. The report is about the investigation: the reporter's identity is never read here
(RULES R7), and interviewees appear by their role only.

WeasyPrint fetches nothing: the HTML is self-contained with the stylesheet inline, and the PDF
comes from the one export layer (`integriteit.figures.exports`, ADR 0016), whose URL fetcher
refuses every URL.
"""

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from integriteit.figures.exports import render_pdf
from integriteit.reports.sealing import sealer_for
from integriteit.ui import dates

from . import selectors
from .constants import ReportVersionKind, StepRole, StepState
from .models import Interview, Investigation, InvestigationDocument, ReportVersion, StepRecord
from .storage import write_sealed_file

STYLESHEET = Path(__file__).with_name("report_document.css")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Fields shown in their own section of the report rather than under their step.
OWN_SECTION = {
    ("assignment", "scope"),
    ("assignment", "questions"),
    ("evidence", "evidence_log"),
    ("draft_report", "findings"),
    ("final_report", "advice"),
}


# --- The report's content, shared by the PDF and the .docx ---------------------------------


@dataclass
class Entry:
    label: str
    value: str


@dataclass
class Deviation:
    step: str
    reason: str
    requested: str
    approved: str


@dataclass
class DocumentEntry:
    name: str
    kind: str
    step: str
    uploaded: str
    size: str


@dataclass
class StepEntry:
    number: int
    name: str
    organisation_step: bool
    responsible: str
    state: str
    opened: str
    due: str
    completed: str
    values: list[Entry] = field(default_factory=list)
    deviation: Deviation | None = None
    in_own_section: list[str] = field(default_factory=list)


@dataclass
class InterviewEntry:
    number: int
    role: str
    planned: str
    adviser: str
    record: str
    offered: str
    response_due: str
    approval: str
    comment: str


@dataclass
class Response:
    text: str
    note: str


@dataclass
class ReportFile:
    is_final: bool
    kind: str
    title: str
    reference: str
    organisation: str
    generated: str
    protocol: str
    investigators: str
    commissioned: str
    deadline: str
    assignment_note: str
    scope: str
    questions: str
    steps: list[StepEntry]
    deviations: list[Deviation]
    interviews: list[InterviewEntry]
    evidence_log: str
    documents: list[DocumentEntry]
    findings: str
    advice: str
    response: Response | None

    def title_entries(self) -> list[Entry]:
        return [
            Entry(_("Case reference"), self.reference),
            Entry(_("Organisation"), self.organisation),
            Entry(_("Kind of investigation report"), self.kind),
            Entry(_("Date"), self.generated),
            Entry(_("Protocol"), self.protocol),
            Entry(_("Investigators"), self.investigators),
            Entry(_("Commissioned by"), self.commissioned),
            Entry(_("Overall time limit"), self.deadline),
        ]


def _when(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return dates.moment(value)
    return dates.day(value)


def _person(user) -> str:
    return str(user) if user is not None else ""


def _by_on(user, when) -> str:
    if when is None:
        return ""
    if user is None:
        return _when(when)
    return _("%(person)s on %(date)s") % {"person": _person(user), "date": _when(when)}


def _deviation(rec: StepRecord, name: str) -> Deviation | None:
    if rec.deviation_requested_at is None:
        return None
    return Deviation(
        step=name,
        reason=selectors.open_on(rec, "sealed_deviation_reason"),
        requested=_by_on(rec.deviation_requested_by, rec.deviation_requested_at),
        approved=(
            _by_on(rec.deviation_approved_by, rec.deviation_approved_at)
            if rec.deviation_approved_at
            else _("Not approved")
        ),
    )


def _steps(investigation: Investigation) -> tuple[list[StepEntry], dict[tuple[str, str], str]]:
    entries, own = [], {}
    records = (
        investigation.step_records.select_related(
            "step", "completed_by", "deviation_requested_by", "deviation_approved_by"
        )
        .order_by("step__position")
        .all()
    )
    state_labels = dict(StepState.choices)
    role_labels = dict(StepRole.choices)
    for number, rec in enumerate(records, start=1):
        name = _(rec.step.name)
        values = selectors.values_of(rec)
        entry = StepEntry(
            number=number,
            name=name,
            organisation_step=not rec.step.is_baseline,
            responsible=str(role_labels.get(rec.step.responsible_role, "")),
            state=str(state_labels[selectors.state_of(rec)]),
            opened=_when(rec.opened_at),
            due=_when(rec.due_on),
            completed=_by_on(rec.completed_by, rec.completed_at),
            deviation=_deviation(rec, name),
        )
        for item in rec.step.required_fields:
            value = str(values.get(item["code"], "")).strip()
            if (rec.step.code, item["code"]) in OWN_SECTION:
                own[(rec.step.code, item["code"])] = value
                if value:
                    entry.in_own_section.append(_(item["label"]))
            elif value:
                entry.values.append(Entry(_(item["label"]), value))
        entries.append(entry)
    return entries, own


def _interviews(investigation: Investigation) -> list[InterviewEntry]:
    entries = []
    roles = dict(Interview._meta.get_field("role").choices or [])
    for number, interview in enumerate(investigation.interviews.order_by("planned_at"), start=1):
        if interview.approved_at:
            approval = _("Approved by the interviewee on %(date)s.") % {
                "date": _when(interview.approved_at)
            }
        elif interview.commented_at:
            approval = _("The interviewee commented on %(date)s.") % {
                "date": _when(interview.commented_at)
            }
        elif interview.record_offered_at:
            approval = _("Neither approved nor commented on (term until %(date)s).") % {
                "date": _when(interview.response_due)
            }
        else:
            approval = _("The record has not been offered yet.")
        entries.append(
            InterviewEntry(
                number=number,
                role=str(roles.get(interview.role, interview.role)),
                planned=_when(interview.planned_at),
                adviser=selectors.open_on(interview, "sealed_adviser"),
                record=selectors.open_on(interview, "sealed_record"),
                offered=_when(interview.record_offered_at),
                response_due=_when(interview.response_due),
                approval=approval,
                comment=selectors.open_on(interview, "sealed_comment"),
            )
        )
    return entries


def _documents(investigation: Investigation) -> list[DocumentEntry]:
    sealer = sealer_for(investigation.report)
    entries = []
    for document in InvestigationDocument.objects.filter(
        investigation=investigation
    ).select_related("step"):
        name = (
            sealer.open_text(
                f"investigationdocument:{document.pk}", "name", bytes(document.sealed_name)
            )
            if bytes(document.sealed_name)
            else ""
        )
        entries.append(
            DocumentEntry(
                name=name,
                kind=document.kind,
                step=_(document.step.name),
                uploaded=_when(document.uploaded_at),
                size=formats.number_format(document.size) + " B",
            )
        )
    return entries


def _response(version: ReportVersion) -> Response | None:
    """For the final report: the subject's response to the latest draft before it."""
    if version.kind != ReportVersionKind.FINAL:
        return None
    draft = (
        version.investigation.report_versions.filter(
            kind=ReportVersionKind.DRAFT, generated_at__lte=version.generated_at
        )
        .order_by("-generated_at")
        .first()
    )
    if draft is None or draft.offered_to_subject_at is None:
        return Response("", _("The draft report was not offered to the subject."))
    if draft.responded_at is None:
        return Response(
            "",
            _(
                "No response within the term (the draft was offered on %(offered)s, term until "
                "%(due)s)."
            )
            % {"offered": _when(draft.offered_to_subject_at), "due": _when(draft.response_due)},
        )
    return Response(
        selectors.open_on(draft, "sealed_subject_response"),
        _("The subject responded to the draft report of %(generated)s on %(date)s.")
        % {"generated": _when(draft.generated_at), "date": _when(draft.responded_at)},
    )


def build(version: ReportVersion) -> ReportFile:
    """The ordered investigation file as the report presents it."""
    investigation = version.investigation
    report = investigation.report
    protocol = investigation.protocol
    steps, own = _steps(investigation)
    is_final = version.kind == ReportVersionKind.FINAL
    kind = str(dict(ReportVersionKind.choices)[version.kind])
    investigators = investigation.members.select_related("user").order_by("-is_lead", "added_at")
    return ReportFile(
        is_final=is_final,
        kind=kind,
        title=_("Investigation report"),
        reference=report.reference,
        organisation=report.organisation.name,
        generated=_when(version.generated_at),
        protocol=_("%(name)s, version %(version)s")
        % {"name": _(protocol.name), "version": protocol.version},
        investigators=", ".join(str(m.user) for m in investigators if m.ended_at is None),
        commissioned=_by_on(investigation.commissioned_by, investigation.commissioned_at),
        deadline=_when(investigation.deadline),
        assignment_note=selectors.open_on(investigation, "sealed_assignment"),
        scope=own.get(("assignment", "scope"), ""),
        questions=own.get(("assignment", "questions"), ""),
        steps=steps,
        deviations=[s.deviation for s in steps if s.deviation is not None],
        interviews=_interviews(investigation),
        evidence_log=own.get(("evidence", "evidence_log"), ""),
        documents=_documents(investigation),
        findings=own.get(("draft_report", "findings"), ""),
        advice=own.get(("final_report", "advice"), ""),
        response=_response(version),
    )


# --- Rendering -----------------------------------------------------------------------------


def render_html(content: ReportFile) -> str:
    return render_to_string(
        "investigations/report_document.html",
        {"file": content, "stylesheet": STYLESHEET.read_text(encoding="utf-8")},
    )


def render_docx(content: ReportFile) -> bytes:
    from docx import Document

    document = Document()
    properties = document.core_properties
    properties.title = f"{content.title} {content.reference}"
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""

    def text(value: str) -> None:
        for paragraph in (value or "").split("\n"):
            document.add_paragraph(paragraph)

    def entries(rows: list[Entry]) -> None:
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = row.label, row.value

    document.add_heading(content.title, level=0)
    document.add_paragraph(content.kind, style="Subtitle")
    entries(content.title_entries())

    document.add_heading(_("Assignment"), level=1)
    if content.assignment_note:
        document.add_heading(_("Commissioning note"), level=2)
        text(content.assignment_note)
    document.add_heading(_("Scope"), level=2)
    text(content.scope or _("Not recorded."))
    document.add_heading(_("Questions"), level=2)
    text(content.questions or _("Not recorded."))

    document.add_heading(_("Course of the investigation"), level=1)
    for step in content.steps:
        name = f"{step.number}. {step.name}"
        if step.organisation_step:
            name += f" ({_('organisation step')})"
        document.add_heading(name, level=2)
        rows = [
            Entry(_("State"), step.state),
            Entry(_("Responsible"), step.responsible),
            Entry(_("Opened"), step.opened),
            Entry(_("Due"), step.due),
            Entry(_("Completed"), step.completed),
        ]
        entries([r for r in rows if r.value] + step.values)
        if step.in_own_section:
            document.add_paragraph(
                _("Recorded in its own section: %(fields)s.")
                % {"fields": ", ".join(step.in_own_section)}
            )
        if step.deviation:
            document.add_paragraph(
                _("Deviation from the protocol: %(reason)s") % {"reason": step.deviation.reason}
            )

    document.add_heading(_("Deviations from the protocol"), level=1)
    if not content.deviations:
        document.add_paragraph(_("None."))
    for deviation in content.deviations:
        document.add_heading(deviation.step, level=2)
        entries(
            [
                Entry(_("Reason"), deviation.reason),
                Entry(_("Requested by"), deviation.requested),
                Entry(_("Approved by the competent authority"), deviation.approved),
            ]
        )

    document.add_heading(_("Interview records"), level=1)
    if not content.interviews:
        document.add_paragraph(_("None."))
    for interview in content.interviews:
        document.add_heading(
            _("Interview %(number)s: %(role)s")
            % {"number": interview.number, "role": interview.role},
            level=2,
        )
        entries(
            [
                r
                for r in [
                    Entry(_("Date"), interview.planned),
                    Entry(_("Adviser or counsel"), interview.adviser or _("None")),
                    Entry(_("Record offered"), interview.offered),
                    Entry(_("Approval"), interview.approval),
                ]
                if r.value
            ]
        )
        document.add_heading(_("Record"), level=3)
        text(interview.record or _("Not recorded."))
        if interview.comment:
            document.add_heading(_("Comments of the interviewee"), level=3)
            text(interview.comment)

    document.add_heading(_("Evidence log"), level=1)
    text(content.evidence_log or _("Not recorded."))

    document.add_heading(_("Documents"), level=1)
    if not content.documents:
        document.add_paragraph(_("None."))
    else:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, label in zip(
            table.rows[0].cells, [_("Document"), _("Kind"), _("Step"), _("Added")], strict=True
        ):
            cell.text = label
        for item in content.documents:
            cells = table.add_row().cells
            for cell, value in zip(
                cells, [item.name, item.kind, item.step, item.uploaded], strict=True
            ):
                cell.text = value

    document.add_heading(_("Findings"), level=1)
    text(content.findings or _("Not recorded."))
    if content.is_final:
        document.add_heading(_("Advice to the competent authority"), level=1)
        text(content.advice or _("Not recorded."))
        document.add_heading(_("Response of the subject to the draft report"), level=1)
        if content.response:
            document.add_paragraph(content.response.note)
            if content.response.text:
                text(content.response.text)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_name(version: ReportVersion, name: str) -> str:
    kind = _("draft") if version.kind == ReportVersionKind.DRAFT else _("final")
    return f"{version.investigation.report.reference}-{kind}-{version.pk}.{name}"


def render_report(version: ReportVersion) -> None:
    """Generate the PDF and the .docx of `version` and store both sealed."""
    content = build(version)
    write_sealed_file(version, file_name(version, "pdf"), render_pdf(render_html(content)), "pdf")
    write_sealed_file(version, file_name(version, "docx"), render_docx(content), "docx")
