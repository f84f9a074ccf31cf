"""The demo's cases (issue 10 "Demo"): a case in every phase a newcomer should see, made by the
demo people through the services, step by step as they would on the case page.

Loaded by `manage.py load_demo` only (registered from apps.py with
`accounts.demo.register_demo_content`); the tests' people (`integriteit.testing.load_people`)
have no cases. Idempotent: each case comes from a fixed submission token, so its receipt code
(keyed with this installation's keys, ADR 0005) finds it on the next load and nothing is made
twice. Dates are relative to the moment of loading: the overdue case is received ten days
before, so its acknowledgement (seven days, RULES R3) is overdue whenever the demo is loaded.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from integriteit.accounts.demo import DemoContext, signed_in
from integriteit.organisations.models import Organisation
from integriteit.reports import receipts
from integriteit.reports import services as report_services
from integriteit.reports.constants import Channel, Form, Kind, Phase, Relation, ViolationTypeCode
from integriteit.reports.models import Report
from integriteit.reports.sealing import Content, Identity

from . import services
from .constants import (
    AftercareAudience,
    CaseRole,
    ConflictCheckItem,
    FollowUpRoute,
    SubjectInformedHow,
)

# Days before loading that the overdue case was received: past the seven days of RULES R3.
OVERDUE_RECEIVED_DAYS_AGO = 10


@dataclass(frozen=True)
class DemoCase:
    """One case of the demo: its key (in the submission token), what it shows, and who sees it
    (the demo logins, README "Demo")."""

    key: str
    shows: str
    phase: str
    seen_by: tuple[str, ...]


CASES = [
    DemoCase("received", "just received online", Phase.RECEIVED, ("coordinator", "complaints")),
    DemoCase(
        "overdue",
        f"received by a manager {OVERDUE_RECEIVED_DAYS_AGO} days ago, acknowledgement overdue",
        Phase.RECEIVED,
        ("coordinator", "complaints"),
    ),
    DemoCase(
        "investigation",
        "in investigation",
        Phase.INVESTIGATION,
        ("coordinator", "complaints", "authority", "investigator"),
    ),
    DemoCase(
        "aftercare",
        "after mediation, in aftercare",
        Phase.AFTERCARE,
        ("coordinator", "complaints", "authority", "guide"),
    ),
    DemoCase(
        "closed",
        "investigated, decided, closed",
        Phase.CLOSED,
        ("coordinator", "authority", "investigator", "guide"),
    ),
    DemoCase(
        "complaint",
        "a complaint about the handling of the closed case",
        Phase.ACKNOWLEDGED,
        ("complaints",),
    ),
    DemoCase("fin", "received at Financiën", Phase.RECEIVED, ("coordinator-fin",)),
]


def submission_token(key: str) -> str:
    """The fixed token of a demo case; its receipt code is derived with this installation's
    keys, so it is the same on every load here and guessable nowhere else."""
    return f"integriteit-demo-case-{key}"


def receipt_code(key: str) -> str:
    return receipts.code_for(submission_token(key))


def demo_case(key: str) -> Report | None:
    """The demo case `key` if it was loaded."""
    lookup = receipts.lookup_key(receipt_code(key))
    return Report.objects.filter(receipt_lookup=lookup).first()


class _Case:
    """The demo people driving one case; `report` is read fresh, as the services lock and
    re-read the row themselves."""

    def __init__(self, context: DemoContext, report: Report):
        people = context.people
        self.coordinator = signed_in(people["coordinator"])
        self.authority = signed_in(people["authority"])
        self.investigator = signed_in(people["investigator"])
        self.guide = signed_in(people["guide"])
        self.subject = people["employee"]
        self.pk = report.pk

    @property
    def report(self) -> Report:
        return Report.objects.get(pk=self.pk)

    def acknowledge(self) -> None:
        services.acknowledge(
            self.coordinator,
            self.report,
            "Wij hebben uw melding ontvangen. Binnen drie maanden hoort u wat wij ermee doen.",
        )

    def assess(self, kind: str, types: list[str], route: str) -> None:
        services.start_assessment(self.coordinator, self.report)
        services.record_assessment(
            self.coordinator,
            self.report,
            in_scope=True,
            urgency="normal",
            kind=kind,
            type_codes=types,
            notes="Binnen de reikwijdte van de regeling; voldoende concreet om op te volgen.",
        )
        services.assign(self.coordinator, self.report, self.authority, CaseRole.COMPETENT_AUTHORITY)
        for item in ConflictCheckItem:
            services.check_conflict_item(self.coordinator, self.report, item)
        services.complete_assessment(self.coordinator, self.report)
        services.decide_follow_up(
            self.authority, self.report, route, "Besloten na de intake met de coördinator."
        )

    def investigate(self) -> None:
        services.assign(self.coordinator, self.report, self.investigator, CaseRole.INVESTIGATOR)
        subject = services.record_subject(self.investigator, self.report, person=self.subject)
        services.record_subject_informed(
            self.investigator,
            subject,
            informed_at=timezone.now() - datetime.timedelta(hours=2),
            how=SubjectInformedHow.IN_PERSON,
            note="Geïnformeerd in een gesprek met de onderzoeker.",
        )

    def assign_guide(self) -> None:
        services.assign(self.coordinator, self.report, self.guide, CaseRole.PROCESS_GUIDE)

    def give_final_feedback(self) -> None:
        services.give_final_feedback(
            self.coordinator,
            self.report,
            "Uw melding is afgehandeld. Wij danken u voor uw melding en nemen contact op voor "
            "een nagesprek.",
        )

    def plan_aftercare(self):
        return services.plan_aftercare(
            self.guide,
            self.report,
            audience=AftercareAudience.REPORTER,
            description="Nagesprek met de melder over hoe het nu gaat in het team.",
            due_on=timezone.localdate() + datetime.timedelta(days=14),
        )


def _submit_online(key: str, organisation: Organisation, kind: str, types, text: str) -> Report:
    """A report as a reporter sends it with the form, anonymously."""
    draft = report_services.save_draft(
        None,
        report_services.ReportInput(
            organisation=organisation,
            kind=kind,
            relation=Relation.EMPLOYEE,
            violation_types=types,
            content=Content(description=text, raised_before="no"),
            identity=Identity(),
        ),
    )
    report_services.submit_draft(draft, submission_token(key))
    return Report.objects.get(pk=draft.pk)


def _received(context: DemoContext) -> Report:
    return _submit_online(
        "received",
        context.organisations["bzk"],
        Kind.INTEGRITY_VIOLATION,
        [ViolationTypeCode.INFORMATION],
        "Een collega stuurt vertrouwelijke stukken over een lopende aanbesteding door naar "
        "een privé-adres.",
    )


def _overdue(context: DemoContext) -> Report:
    """Told to a manager ten days ago and registered by them; no one acknowledged it yet."""
    manager = signed_in(context.people["manager"])
    report, _code = report_services.register_report(
        manager,
        report_services.ReportInput(
            organisation=context.organisations["bzk"],
            kind=Kind.UNDESIRABLE_BEHAVIOUR,
            relation=Relation.EMPLOYEE,
            violation_types=[ViolationTypeCode.BEHAVIOUR],
            channel=Channel.MANAGER,
            form=Form.MEETING,
            received_at=timezone.now() - datetime.timedelta(days=OVERDUE_RECEIVED_DAYS_AGO),
            content=Content(
                description="Een medewerker vertelt dat zij in teamoverleggen steeds wordt "
                "weggezet en uitgelachen.",
                minutes="Gesprek met de leidinggevende; de melder wil eerst advies.",
                raised_before="no",
            ),
            identity=Identity(),
        ),
        submission_token("overdue"),
    )
    return report


def _investigation(context: DemoContext) -> Report:
    report = _submit_online(
        "investigation",
        context.organisations["bzk"],
        Kind.INTEGRITY_VIOLATION,
        ["financial"],
        "Bij de inkoop van kantoorartikelen worden facturen van één leverancier steeds net "
        "onder de aanbestedingsgrens gesplitst.",
    )
    case = _Case(context, report)
    case.acknowledge()
    case.assess(Kind.INTEGRITY_VIOLATION, ["financial"], FollowUpRoute.INVESTIGATION)
    case.investigate()
    return case.report


def _aftercare(context: DemoContext) -> Report:
    report = _submit_online(
        "aftercare",
        context.organisations["bzk"],
        Kind.UNDESIRABLE_BEHAVIOUR,
        [ViolationTypeCode.BEHAVIOUR],
        "Mijn leidinggevende maakt in het bijzijn van het team opmerkingen over mijn uiterlijk.",
    )
    case = _Case(context, report)
    case.acknowledge()
    case.assign_guide()
    case.assess(Kind.UNDESIRABLE_BEHAVIOUR, [ViolationTypeCode.BEHAVIOUR], FollowUpRoute.MEDIATION)
    services.record_outcome(
        case.coordinator,
        case.report,
        "Na twee gesprekken onder begeleiding van een mediator zijn afspraken gemaakt.",
    )
    services.complete_follow_up(case.coordinator, case.report)
    case.give_final_feedback()
    case.plan_aftercare()
    return case.report


def _closed(context: DemoContext) -> Report:
    report = _submit_online(
        "closed",
        context.organisations["bzk"],
        Kind.INTEGRITY_VIOLATION,
        [ViolationTypeCode.RESOURCES],
        "Een dienstauto wordt in het weekend voor privéritten gebruikt.",
    )
    case = _Case(context, report)
    case.acknowledge()
    case.assign_guide()
    case.assess(
        Kind.INTEGRITY_VIOLATION, [ViolationTypeCode.RESOURCES], FollowUpRoute.INVESTIGATION
    )
    case.investigate()
    services.record_outcome(
        case.investigator, case.report, "De ritten zijn vastgesteld uit de rittenregistratie."
    )
    services.complete_investigation(case.investigator, case.report)
    services.record_decision(
        case.authority,
        case.report,
        summary="Het privégebruik is vastgesteld; de medewerker krijgt een schriftelijke "
        "berisping.",
        findings={ViolationTypeCode.RESOURCES: True},
        decided_on=timezone.localdate(),
    )
    # The decision's measure is recorded before the case can close (RULES R13).
    services.impose_measure(case.authority, case.report, None, "none", timezone.localdate())
    services.complete_decision(case.authority, case.report)
    case.give_final_feedback()
    services.finish_aftercare(case.guide, case.plan_aftercare())
    services.complete_aftercare(
        case.coordinator, case.report, "Wilt u ons laten weten hoe u het proces hebt ervaren?"
    )
    services.close(case.coordinator, case.report)
    return case.report


def _complaint(context: DemoContext) -> Report:
    """The reporter of the closed case complains about its handling; the second coordinator
    takes it (and so no longer sees the original case)."""
    original = demo_case("closed")
    assert original is not None, "the closed case comes first"
    complaint, _code = services.file_complaint(
        original,
        "Ik heb tussendoor twee maanden niets gehoord over mijn melding.",
        submission_token("complaint"),
    )
    services.acknowledge(
        signed_in(context.people["complaints"]),
        complaint,
        "Wij hebben uw klacht ontvangen. Iemand die niet bij uw melding betrokken was, "
        "behandelt haar.",
    )
    return complaint


def _fin(context: DemoContext) -> Report:
    return _submit_online(
        "fin",
        context.organisations["fin"],
        Kind.INTEGRITY_VIOLATION,
        [ViolationTypeCode.POSITION],
        "Een douanemedewerker keurt zendingen goed van een bedrijf waarin een familielid werkt.",
    )


MAKERS: dict[str, Callable[[DemoContext], Report]] = {
    "received": _received,
    "overdue": _overdue,
    "investigation": _investigation,
    "aftercare": _aftercare,
    "closed": _closed,
    "complaint": _complaint,
    "fin": _fin,
}


def load_cases(context: DemoContext) -> list[str]:
    """Every demo case not loaded before, in order (the complaint needs the closed case).
    Returns a line per case for `load_demo` to print: its reference, the reporter's receipt
    code for the mailbox (/postbus/) and the logins that see it."""
    lines = ["", "Demo cases (reporter's mailbox at /postbus/ with the receipt code):"]
    for case in CASES:
        # Found again as it is now: someone trying the demo may have taken it further.
        report = demo_case(case.key) or MAKERS[case.key](context)
        code = receipts.display(receipt_code(case.key))
        lines.append(
            f"  {report.reference}  {code}  {case.shows}; seen by {', '.join(case.seen_by)}"
        )
    return lines
