"""The BIPO baseline protocol (seed 002 "Baseline Intern Persoonsgericht Onderzoek"; RULES R12):
minimum requirements that every ministry follows and may add to, never go below. Seeded as
protocol version 1 by migration 0002; organisation versions extend it (services.derive_protocol).
"""

F = dict  # a required field or document: {"code": ..., "label": ...}

BASELINE_STEPS = [
    {
        "code": "preliminary_inquiry",
        "name": "Preliminary inquiry and admissibility",
        "guidance": "Establish whether there is a reasonable suspicion of a violation by a person, "
        "and whether a person-directed investigation is proportionate.",
        "responsible_role": "investigator",
        "required_fields": [
            F(code="facts", label="Facts found in the preliminary inquiry"),
            F(code="admissibility", label="Conclusion on admissibility and proportionality"),
        ],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "assignment",
        "name": "Decision to investigate and written assignment",
        "guidance": "The competent authority decides to investigate and gives a written "
        "assignment with the scope and the questions to answer.",
        "responsible_role": "competent_authority",
        "required_fields": [
            F(code="scope", label="Scope of the investigation"),
            F(code="questions", label="Questions to answer"),
        ],
        "required_documents": [],
        "time_limit_days": 7,
    },
    {
        "code": "plan",
        "name": "Investigation plan",
        "guidance": "How the questions will be answered: methods, sources, interviews, planning.",
        "responsible_role": "investigator",
        "required_fields": [
            F(code="approach", label="Approach and methods"),
            F(code="planning", label="Planning"),
        ],
        "required_documents": [],
        "time_limit_days": 7,
    },
    {
        "code": "inform_subject",
        "name": "Informing the subject and their rights",
        "guidance": "The subject is informed of the investigation, receives the protocol and is "
        "told their rights: to be heard, to bring an adviser, to approve interview records and to "
        "respond to the draft report. Informing later to protect evidence is a deviation that "
        "needs the competent authority's approval.",
        "responsible_role": "investigator",
        "required_fields": [
            F(code="informed_how", label="How and when the subject was informed"),
            F(code="rights", label="Rights explained and protocol handed over"),
        ],
        "required_documents": [],
        "time_limit_days": 7,
        "deviation_allowed": True,
    },
    {
        "code": "interviews",
        "name": "Interviews",
        "guidance": "Interviews with the subject and witnesses. Everyone asked to cooperate "
        "receives the protocol; every record is offered to the interviewee for approval.",
        "responsible_role": "investigator",
        "required_fields": [],
        "required_documents": [],
        "time_limit_days": 42,
    },
    {
        "code": "evidence",
        "name": "Evidence",
        "guidance": "Every piece of evidence is logged with its source and how it was obtained.",
        "responsible_role": "investigator",
        "required_fields": [F(code="evidence_log", label="Evidence log")],
        "required_documents": [],
        "time_limit_days": 28,
    },
    {
        "code": "draft_report",
        "name": "Draft report",
        "guidance": "The draft report answers the questions of the assignment from the file.",
        "responsible_role": "investigator",
        "required_fields": [F(code="findings", label="Findings per question")],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "subject_response",
        "name": "Response of the subject (hoor en wederhoor)",
        "guidance": "The subject receives the draft report and may respond within the term; the "
        "response is attached to the final report.",
        "responsible_role": "investigator",
        "required_fields": [],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "final_report",
        "name": "Final report and advice",
        "guidance": "The final report with the subject's response and every deviation from the "
        "protocol stated, and advice to the competent authority.",
        "responsible_role": "investigator",
        "required_fields": [F(code="advice", label="Advice to the competent authority")],
        "required_documents": [],
        "time_limit_days": 7,
    },
    {
        "code": "decision",
        "name": "Decision of the competent authority",
        "guidance": "The competent authority decides on the final report; measures only after "
        "the employee is heard (RULES R10).",
        "responsible_role": "competent_authority",
        "required_fields": [F(code="decision", label="Decision on the final report")],
        "required_documents": [],
        "time_limit_days": 14,
    },
    {
        "code": "closing",
        "name": "Closing and informing those involved",
        "guidance": "Those involved are informed of the outcome; the file is complete and "
        "archived.",
        "responsible_role": "investigator",
        "required_fields": [F(code="informed", label="Who was informed of the outcome, and when")],
        "required_documents": [],
        "time_limit_days": 7,
    },
]
