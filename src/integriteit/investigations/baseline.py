"""The BIPO baseline protocol (seed 002 "Baseline Intern Persoonsgericht Onderzoek"; RULES R12):
minimum requirements that every ministry follows and may add to, never go below. Seeded as
protocol version 1 by migration 0002; organisation versions extend it (services.derive_protocol).
"""

from typing import NotRequired, TypedDict

from django.utils.translation import gettext_noop

# The baseline protocol's name, stored as is; shown through gettext like the texts below.
BASELINE_NAME = gettext_noop("BIPO baseline")


class Requirement(TypedDict):
    """A required field or document of a step."""

    code: str
    label: str


class BaselineStep(TypedDict):
    code: str
    name: str
    guidance: str
    responsible_role: str  # a StepRole
    required_fields: list[Requirement]
    required_documents: list[Requirement]
    time_limit_days: int
    deviation_allowed: NotRequired[bool]  # False when left out


F = Requirement

BASELINE_STEPS: list[BaselineStep] = [
    {
        "code": "preliminary_inquiry",
        "name": gettext_noop("Preliminary inquiry and admissibility"),
        "guidance": gettext_noop(
            "Establish whether there is a reasonable suspicion of a violation by a person, "
            "and whether a person-directed investigation is proportionate."
        ),
        "responsible_role": "investigator",
        "required_fields": [
            F(code="facts", label=gettext_noop("Facts found in the preliminary inquiry")),
            F(
                code="admissibility",
                label=gettext_noop("Conclusion on admissibility and proportionality"),
            ),
        ],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "assignment",
        "name": gettext_noop("Decision to investigate and written assignment"),
        "guidance": gettext_noop(
            "The competent authority decides to investigate and gives a written "
            "assignment with the scope and the questions to answer."
        ),
        "responsible_role": "competent_authority",
        "required_fields": [
            F(code="scope", label=gettext_noop("Scope of the investigation")),
            F(code="questions", label=gettext_noop("Questions to answer")),
        ],
        "required_documents": [],
        "time_limit_days": 7,
    },
    {
        "code": "plan",
        "name": gettext_noop("Investigation plan"),
        "guidance": gettext_noop(
            "How the questions will be answered: methods, sources, interviews, planning."
        ),
        "responsible_role": "investigator",
        "required_fields": [
            F(code="approach", label=gettext_noop("Approach and methods")),
            F(code="planning", label=gettext_noop("Planning")),
        ],
        "required_documents": [],
        "time_limit_days": 7,
    },
    {
        "code": "inform_subject",
        "name": gettext_noop("Informing the subject and their rights"),
        "guidance": gettext_noop(
            "The subject is informed of the investigation, receives the protocol and is "
            "told their rights: to be heard, to bring an adviser, to approve interview records and to "
            "respond to the draft report. Informing later to protect evidence is a deviation that "
            "needs the competent authority's approval."
        ),
        "responsible_role": "investigator",
        "required_fields": [
            F(code="informed_how", label=gettext_noop("How and when the subject was informed")),
            F(code="rights", label=gettext_noop("Rights explained and protocol handed over")),
        ],
        "required_documents": [],
        "time_limit_days": 7,
        "deviation_allowed": True,
    },
    {
        "code": "interviews",
        "name": gettext_noop("Interviews"),
        "guidance": gettext_noop(
            "Interviews with the subject and witnesses. Everyone asked to cooperate "
            "receives the protocol; every record is offered to the interviewee for approval."
        ),
        "responsible_role": "investigator",
        "required_fields": [],
        "required_documents": [],
        "time_limit_days": 42,
    },
    {
        "code": "evidence",
        "name": gettext_noop("Evidence"),
        "guidance": gettext_noop(
            "Every piece of evidence is logged with its source and how it was obtained."
        ),
        "responsible_role": "investigator",
        "required_fields": [F(code="evidence_log", label=gettext_noop("Evidence log"))],
        "required_documents": [],
        "time_limit_days": 28,
    },
    {
        "code": "draft_report",
        "name": gettext_noop("Draft report"),
        "guidance": gettext_noop(
            "The draft report answers the questions of the assignment from the file."
        ),
        "responsible_role": "investigator",
        "required_fields": [F(code="findings", label=gettext_noop("Findings per question"))],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "subject_response",
        "name": gettext_noop("Response of the subject (hoor en wederhoor)"),
        "guidance": gettext_noop(
            "The subject receives the draft report and may respond within the term; the "
            "response is attached to the final report."
        ),
        "responsible_role": "investigator",
        "required_fields": [],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "final_report",
        "name": gettext_noop("Final report and advice"),
        "guidance": gettext_noop(
            "The final report with the subject's response and every deviation from the "
            "protocol stated, and advice to the competent authority."
        ),
        "responsible_role": "investigator",
        "required_fields": [
            F(code="advice", label=gettext_noop("Advice to the competent authority"))
        ],
        "required_documents": [],
        "time_limit_days": 7,
    },
    {
        "code": "decision",
        "name": gettext_noop("Decision of the competent authority"),
        "guidance": gettext_noop(
            "The competent authority decides on the final report; measures only after "
            "the employee is heard (RULES R10)."
        ),
        "responsible_role": "competent_authority",
        "required_fields": [F(code="decision", label=gettext_noop("Decision on the final report"))],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "closing",
        "name": gettext_noop("Closing and informing those involved"),
        "guidance": gettext_noop(
            "Those involved are informed of the outcome; the file is complete and archived."
        ),
        "responsible_role": "investigator",
        "required_fields": [
            F(code="informed", label=gettext_noop("Who was informed of the outcome, and when"))
        ],
        "required_documents": [],
        "time_limit_days": 7,
    },
]
