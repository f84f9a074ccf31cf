"""The draft and final investigation report (issue 4 §5, "It must show": the generated PDF opens,
contains the ordered file, and is checked by extracting its text). The investigation is built
with the real services; the reporter is named, so the report can be shown not to name them."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from integriteit.audit.models import AuditEntry
from integriteit.cases.tests.flow import Flow, verified
from integriteit.investigations import documents, services
from integriteit.investigations.constants import IntervieweeRole, ReportVersionKind
from integriteit.investigations.models import Investigation, ReportVersion
from integriteit.investigations.storage import path_of, read_sealed_file
from integriteit.reports.attachments import clean
from integriteit.reports.constants import Phase
from integriteit.testing import verified_client

REPORTER_NAME = "Rozemarijn Klokkenluider"
DOCUMENT_NAME = "bonnenoverzicht-Fuut.txt"
REPORTER_EMAIL = "rozemarijn.klokkenluider@example.org"

# Every recorded text carries a word that appears nowhere else, so the extracted text can be
# searched for it and the sealed files on disk can be searched for its plaintext.
TEXTS = {
    "note": "Opdrachtnotitie Kwartelkoning over vervalste bonnen.",
    "facts": "Feitenonderzoek Grutto: bonnen zonder levering.",
    "admissibility": "Ontvankelijk Tureluur en proportioneel.",
    "scope": "Reikwijdte Scholekster: inkoop 2024.",
    "questions": "Onderzoeksvraag Wulp: wie tekende de bonnen?",
    "approach": "Aanpak Kievit: gesprekken en dossieronderzoek.",
    "planning": "Planning Lepelaar: zes weken.",
    "deviation": "Uitstel Roerdomp om bewijs veilig te stellen.",
    "subject_record": "Gespreksverslag Ijsvogel van de betrokkene.",
    "witness_record": "Gespreksverslag Boomklever van de getuige.",
    "witness_comment": "Commentaar Zwartkop op het verslag.",
    "evidence": "Bewijslog Goudplevier: twaalf bonnen uit het archief.",
    "findings": "Bevinding Kluut: de bonnen zijn vervalst.",
    "response": "Reactie Patrijs van de betrokkene op het concept.",
    "advice": "Advies Zilverreiger: maatregel overwegen.",
}


class Built:
    """One investigation from commissioning up to the final report, made with the services."""

    def __init__(self, people):
        self.flow = Flow(people, name=REPORTER_NAME, email=REPORTER_EMAIL).to(Phase.INVESTIGATION)
        self.investigator = self.flow.investigator
        self.authority = self.flow.authority
        self.subject_person = verified(people["employee"])
        self.witness = verified(people["manager"])
        self.pk = services.commission(
            self.authority,
            self.flow.report,
            investigators=[self.investigator],
            deadline=timezone.localdate() + datetime.timedelta(days=120),
            note=TEXTS["note"],
        ).pk
        self.subject = self.flow.record_subject()

    @property
    def investigation(self) -> Investigation:
        return Investigation.objects.get(pk=self.pk)

    def record(self, user, code, **values):
        services.save_values(user, self.investigation, code, values)

    def complete(self, user, code):
        services.complete_step(user, self.investigation, code)

    def until_draft(self):
        i, a = self.investigator, self.authority
        self.record(i, "preliminary_inquiry", facts=TEXTS["facts"])
        self.record(i, "preliminary_inquiry", admissibility=TEXTS["admissibility"])
        self.complete(i, "preliminary_inquiry")
        self.record(a, "assignment", scope=TEXTS["scope"], questions=TEXTS["questions"])
        self.complete(a, "assignment")
        self.record(i, "plan", approach=TEXTS["approach"], planning=TEXTS["planning"])
        self.complete(i, "plan")
        # Informing the subject later to protect evidence: a deviation the authority approves.
        services.request_deviation(i, self.investigation, "inform_subject", TEXTS["deviation"])
        services.approve_deviation(a, self.investigation, "inform_subject")
        planned = timezone.now() + datetime.timedelta(days=2)
        subject_interview = services.plan_interview(
            i,
            self.investigation,
            role=IntervieweeRole.SUBJECT,
            planned_at=planned,
            invitation=services.default_invitation(IntervieweeRole.SUBJECT),
            subject=self.subject,
        )
        witness_interview = services.plan_interview(
            i,
            self.investigation,
            role=IntervieweeRole.WITNESS,
            planned_at=planned + datetime.timedelta(hours=2),
            invitation=services.default_invitation(IntervieweeRole.WITNESS),
            interviewee=self.witness,
        )
        services.record_interview(i, subject_interview, TEXTS["subject_record"], "mr. Advocaat")
        services.record_interview(i, witness_interview, TEXTS["witness_record"])
        services.approve_record(self.subject_person, subject_interview)
        services.comment_record(self.witness, witness_interview, TEXTS["witness_comment"])
        self.complete(i, "interviews")
        self.record(i, "evidence", evidence_log=TEXTS["evidence"])
        services.upload_document(
            i, self.investigation, "evidence", "evidence_item", clean(DOCUMENT_NAME, b"bon 17\n")
        )
        self.complete(i, "evidence")
        self.record(i, "draft_report", findings=TEXTS["findings"])
        return services.generate_report(i, self.investigation, ReportVersionKind.DRAFT)

    def until_final(self, respond: bool = True):
        i = self.investigator
        draft = self.until_draft()
        self.complete(i, "draft_report")
        services.offer_draft(i, self.investigation)
        if respond:
            services.respond_to_draft(
                self.subject_person, ReportVersion.objects.get(pk=draft.pk), TEXTS["response"]
            )
        else:  # the term passes without a response
            ReportVersion.objects.filter(pk=draft.pk).update(
                response_due=timezone.localdate() - datetime.timedelta(days=1)
            )
        self.complete(i, "subject_response")
        self.record(i, "final_report", advice=TEXTS["advice"])
        final = services.generate_report(i, self.investigation, ReportVersionKind.FINAL)
        return ReportVersion.objects.get(pk=draft.pk), final


@pytest.fixture
def built(people):
    with translation.override("en"):
        yield Built(people)


def pdf_text(version: ReportVersion) -> str:
    reader = PdfReader(io.BytesIO(read_sealed_file(version, "pdf")))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_of(version: ReportVersion):
    return Document(io.BytesIO(read_sealed_file(version, "docx")))


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


STEP_NAMES = [
    "Preliminary inquiry and admissibility",
    "Decision to investigate and written assignment",
    "Investigation plan",
    "Informing the subject and their rights",
    "Interviews",
    "Evidence",
    "Draft report",
    "Response of the subject (hoor en wederhoor)",
    "Final report and advice",
    "Decision of the competent authority",
    "Closing and informing those involved",
]

HEADINGS = [
    "Investigation report",
    "Assignment",
    "Course of the investigation",
    "Deviations from the protocol",
    "Interview records",
    "Evidence log",
    "Documents",
    "Findings",
]
FINAL_HEADINGS = [
    "Advice to the competent authority",
    "Response of the subject to the draft report",
]


# --- Content ---------------------------------------------------------------------------------


def test_final_report_pdf_contains_the_ordered_file(built):
    with translation.override("en"):
        _draft, final = built.until_final()
    text = pdf_text(final)
    report = built.flow.report
    assert report.reference in text
    assert report.organisation.name in text
    assert "Final report" in text
    assert "BIPO baseline, version 1" in text
    for key in ("note", "scope", "questions", "facts", "admissibility", "approach", "planning"):
        assert TEXTS[key] in text, key
    # Every protocol step, in the protocol's order, with its state and who completed it.
    steps = between(text, "Course of the investigation", "Deviations from the protocol")
    positions = [steps.index(f"{n}. {name}") for n, name in enumerate(STEP_NAMES, start=1)]
    assert positions == sorted(positions)
    assert "Completed" in steps and str(built.investigator) in steps
    assert str(built.authority) in steps  # completed the assignment step
    assert "Deferred with approval" in steps and "Not open yet" in steps
    # The deviation, its reason and the competent authority's approval (RULES R12).
    deviations = between(text, "Deviations from the protocol", "Interview records")
    assert TEXTS["deviation"] in deviations
    assert "Informing the subject and their rights" in deviations
    assert str(built.authority) in deviations
    # Interviews: role, adviser, record, approval and comments.
    interviews = between(text, "Interview records", "Evidence log")
    assert TEXTS["subject_record"] in interviews and TEXTS["witness_record"] in interviews
    assert TEXTS["witness_comment"] in interviews
    assert "mr. Advocaat" in interviews
    assert "Approved by the interviewee" in interviews
    assert "The interviewee commented" in interviews
    assert "Subject (beklagde)" in interviews and "Witness" in interviews
    assert TEXTS["evidence"] in text
    documents_section = between(text, "Documents", "Findings")
    assert DOCUMENT_NAME in documents_section and "evidence_item" in documents_section
    assert TEXTS["findings"] in text and TEXTS["advice"] in text
    # The subject's response is attached to the final report.
    response = text[text.index("Response of the subject to the draft report") :]
    assert TEXTS["response"] in response
    # The report is about the investigation, never about the reporter (RULES R7).
    assert REPORTER_NAME not in text and "Klokkenluider" not in text
    assert REPORTER_EMAIL not in text


def test_draft_report_has_no_response_or_advice_and_the_final_says_when_none_came(built):
    with translation.override("en"):
        draft, final = built.until_final(respond=False)
    draft_text = pdf_text(draft)
    assert "Draft report" in draft_text
    assert TEXTS["findings"] in draft_text
    assert "Response of the subject to the draft report" not in draft_text
    assert TEXTS["advice"] not in draft_text
    final_text = pdf_text(final)
    assert "No response within the term" in final_text
    assert TEXTS["response"] not in final_text


def test_docx_has_the_same_headings_and_content(built):
    with translation.override("en"):
        _draft, final = built.until_final()
    document = docx_of(final)
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    text = docx_text(document)
    pdf = pdf_text(final)
    for heading in HEADINGS + FINAL_HEADINGS:
        assert any(h.startswith(heading) for h in headings), heading
        assert heading in pdf, heading
    for n, name in enumerate(STEP_NAMES, start=1):
        assert f"{n}. {name}" in headings
    for heading in headings:  # every .docx heading is in the PDF as well
        assert " ".join(heading.split()) in pdf, heading
    for value in [*TEXTS.values(), DOCUMENT_NAME]:
        assert value in text
    assert REPORTER_NAME not in text and REPORTER_EMAIL not in text
    assert document.core_properties.author == ""


def test_the_report_renders_in_dutch(built):
    with translation.override("nl"):
        draft = built.until_draft()
    text = pdf_text(draft)
    assert built.flow.report.reference in text
    assert TEXTS["findings"] in text
    for heading in ("Onderzoeksrapport", "Conceptrapport", "Verloop van het onderzoek"):
        assert heading in text
    assert "Course of the investigation" not in text


def test_the_report_document_is_self_contained(built):
    """The PDF renderer fetches nothing (figures/tests/test_exports.py); the HTML asks for
    nothing either."""
    content = documents.build(ReportVersion(investigation=built.investigation, kind="draft"))
    html = documents.render_html(content)
    assert "://" not in html and "src=" not in html and "<link" not in html


# --- Sealed on disk ----------------------------------------------------------------------------


def test_files_on_disk_are_sealed(built):
    with translation.override("en"):
        draft, final = built.until_final()
    for version in (draft, final):
        for name in ("pdf", "docx"):
            blob = path_of(version, name).read_bytes()
            assert Path(path_of(version, name)).is_relative_to(settings.UPLOAD_ROOT)
            assert not blob.startswith(b"%PDF") and b"%PDF-" not in blob
            assert b"PK\x03\x04" not in blob and b"word/document.xml" not in blob
            for value in [*TEXTS.values(), DOCUMENT_NAME]:
                assert value.encode() not in blob
            assert built.flow.report.reference.encode() not in blob
        assert read_sealed_file(version, "pdf").startswith(b"%PDF")
        assert read_sealed_file(version, "docx").startswith(b"PK\x03\x04")


# --- Downloads ---------------------------------------------------------------------------------


def url(version: ReportVersion, name: str) -> str:
    return reverse(
        f"investigations:report_{name}",
        kwargs={"investigation_id": version.investigation_id, "version_id": version.pk},
    )


def downloads(version: ReportVersion) -> int:
    return AuditEntry.objects.filter(
        action="investigation.report_downloaded", detail__version=version.pk
    ).count()


def test_downloads_for_the_people_of_the_investigation(built, people):
    with translation.override("en"):
        draft, final = built.until_final()
    for user in (built.investigator, built.authority, built.flow.coordinator):
        client = verified_client(user)
        for version in (draft, final):
            before = downloads(version)
            response = client.get(url(version, "pdf"))
            assert response.status_code == 200, user
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("attachment;")
            assert ".pdf" in response["Content-Disposition"]
            assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
            assert response.content == read_sealed_file(version, "pdf")
            response = client.get(url(version, "docx"))
            assert response.status_code == 200
            assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
            assert response["Content-Disposition"].startswith("attachment;")
            assert downloads(version) == before + 2
            entry = AuditEntry.objects.filter(action="investigation.report_downloaded").last()
            assert entry is not None and entry.actor_id == user.pk


def test_the_subject_downloads_only_what_is_offered_to_them(built, people):
    with translation.override("en"):
        draft = built.until_draft()
    client = verified_client(built.subject_person)
    assert client.get(url(draft, "pdf")).status_code == 404  # not offered yet
    with translation.override("en"):
        services.complete_step(built.investigator, built.investigation, "draft_report")
        services.offer_draft(built.investigator, built.investigation)
    before = downloads(draft)
    assert client.get(url(draft, "pdf")).status_code == 200
    assert client.get(url(draft, "docx")).status_code == 200
    assert downloads(draft) == before + 2
    with translation.override("en"):
        services.respond_to_draft(
            built.subject_person, ReportVersion.objects.get(pk=draft.pk), TEXTS["response"]
        )
        services.complete_step(built.investigator, built.investigation, "subject_response")
        services.save_values(
            built.investigator, built.investigation, "final_report", {"advice": TEXTS["advice"]}
        )
        final = services.generate_report(
            built.investigator, built.investigation, ReportVersionKind.FINAL
        )
    assert client.get(url(final, "pdf")).status_code == 404  # still being finished
    with translation.override("en"):
        services.complete_step(built.investigator, built.investigation, "final_report")
    assert client.get(url(final, "pdf")).status_code == 200
    assert client.get(url(final, "docx")).status_code == 200


def test_everyone_else_gets_404(built, people):
    with translation.override("en"):
        draft, final = built.until_final()
        services.complete_step(built.investigator, built.investigation, "final_report")
    for username in ("manager", "adviser", "guide", "coordinator-fin", "employee-fin", "director"):
        client = verified_client(people[username])
        for version in (draft, final):
            for name in ("pdf", "docx"):
                assert client.get(url(version, name)).status_code == 404, username
    # A version id under another investigation's id is not found either.
    wrong = reverse(
        "investigations:report_pdf",
        kwargs={"investigation_id": built.pk + 1000, "version_id": final.pk},
    )
    assert verified_client(built.investigator).get(wrong).status_code == 404
    assert downloads(draft) == 0 and downloads(final) == 0


def test_downloads_need_the_second_factor(built, client):
    with translation.override("en"):
        draft = built.until_draft()
    response = client.get(url(draft, "pdf"))
    assert response.status_code == 302
    assert not response.content
