"""Demo risk analysis (only `manage.py load_demo`): BZK's coordinator analysed the Directie
Bedrijfsvoering this year, with the vulnerable processes of seed 003 (procurement, permits,
confidential information), their risks scored before and after measures, the measures, and one
risk accepted until next year. Written through the services, as the coordinator."""

from __future__ import annotations

import datetime

from django.utils import timezone

from integriteit.accounts.demo import DemoContext
from integriteit.organisations.models import Unit

from . import services_analyses as services
from .constants_analyses import (
    AnalysisObject,
    AnalysisStatus,
    MeasureKind,
    MeasureStatus,
    ProcessArea,
    RiskSource,
    ScoreKind,
    VulnerableActivity,
    VulnerableProperty,
)
from .models import Analysis

TITLE = "Integriteitsrisicoanalyse Directie Bedrijfsvoering"

# (process, area, activities, properties, factors, risks: (title, owner, inherent, residual))
PROCESSES = [
    (
        "Inkoop en aanbesteding",
        ProcessArea.PROCUREMENT,
        [VulnerableActivity.CONTRACTING, VulnerableActivity.PAYING],
        [VulnerableProperty.MONEY, VulnerableProperty.INFORMATION],
        {"complexity": 2, "change": 1, "personnel": 1},
        [
            ("Bevoordeling van een bekende leverancier", "Hoofd inkoop", (4, 4), (2, 4)),
            ("Aannemen van geschenken en uitnodigingen", "Hoofd inkoop", (3, 2), (2, 2)),
        ],
    ),
    (
        "Vergunningverlening",
        ProcessArea.PERMITS,
        [VulnerableActivity.GRANTING],
        [VulnerableProperty.INFORMATION],
        {"management": 1, "history": 1},
        [("Druk van aanvragers op de behandelaar", "Teamleider vergunningen", (3, 4), (3, 3))],
    ),
    (
        "Omgang met vertrouwelijke informatie",
        ProcessArea.CONFIDENTIAL_INFORMATION,
        [VulnerableActivity.PROVIDING_SERVICES],
        [VulnerableProperty.INFORMATION],
        {"change": 2},
        [("Lekken van beleidsstukken", "Directeur Bedrijfsvoering", (2, 5), (2, 4))],
    ),
]
MEASURES = [
    (
        MeasureKind.SEPARATION_OF_DUTIES,
        "Bestellen en betalen door verschillende medewerkers",
        MeasureStatus.IN_PLACE,
        "Hoofd inkoop",
        [0],
    ),
    (
        MeasureKind.FOUR_EYES,
        "Vier-ogen bij elke gunning boven € 50.000",
        MeasureStatus.IN_PLACE,
        "Hoofd inkoop",
        [0],
    ),
    (
        MeasureKind.TRAINING,
        "Dilemmatraining geschenken en uitnodigingen",
        MeasureStatus.PLANNED,
        "Integriteitscoördinator",
        [1],
    ),
    (
        MeasureKind.ROTATION,
        "Roulatie van behandelaars van grote aanvragen",
        MeasureStatus.IN_PROGRESS,
        "Teamleider vergunningen",
        [2],
    ),
    (
        MeasureKind.VOG,
        "VOG voor functies met toegang tot vertrouwelijke stukken",
        MeasureStatus.IN_PLACE,
        "HR-adviseur",
        [3],
    ),
    (
        MeasureKind.SCREENING,
        "Screening bij indiensttreding",
        MeasureStatus.IN_PLACE,
        "HR-adviseur",
        [3],
    ),
]


def load_analyses(context: DemoContext) -> list[str]:
    coordinator = context.people.get("coordinator")
    bzk = context.organisations.get("bzk")
    if coordinator is None or bzk is None:
        return []
    if Analysis.objects.filter(organisation=bzk, title=TITLE).exists():
        return []
    setattr(coordinator, "is_verified", lambda: True)  # noqa: B010 - as after the second factor
    today = timezone.localdate()
    analysis = services.create_analysis(
        coordinator,
        bzk,
        services.AnalysisValues(
            title=TITLE,
            year=today.year,
            analysed_on=today - datetime.timedelta(days=30),
            object_kind=AnalysisObject.UNIT,
            object_description="Directie Bedrijfsvoering: inkoop, vergunningen en informatie.",
            unit=Unit.objects.filter(organisation=bzk, name="Directie Bedrijfsvoering").first(),
            status=AnalysisStatus.IN_PROGRESS,
        ),
    )
    risks = []
    for name, area, activities, properties, factors, process_risks in PROCESSES:
        process = services.save_process(
            coordinator,
            analysis,
            {
                "name": name,
                "area": area,
                "activities": [str(a) for a in activities],
                "properties": [str(p) for p in properties],
                **factors,
            },
        )
        for title, owner, inherent, _residual in process_risks:
            risk = services.save_risk(
                coordinator,
                process,
                {"title": title, "owner": owner, "source": RiskSource.WORKSHOP},
            )
            services.score_risk(coordinator, risk, ScoreKind.INHERENT, *inherent)
            risks.append((risk, _residual))
    for kind, description, status, owner, served in MEASURES:
        services.save_measure(
            coordinator,
            analysis,
            {
                "kind": kind,
                "description": description,
                "status": status,
                "owner": owner,
                "due_on": None
                if status == MeasureStatus.IN_PLACE
                else today.replace(day=1) + datetime.timedelta(days=120),
            },
            [risks[index][0] for index in served],
        )
    for risk, residual in risks:
        services.score_risk(coordinator, risk, ScoreKind.RESIDUAL, *residual)
    services.accept_risk(
        coordinator,
        risks[3][0],
        decided_by="Directeur Bedrijfsvoering",
        reason="De overgebleven kans is klein; verdere maatregelen belemmeren het werk te veel.",
        until=today + datetime.timedelta(days=365),
    )
    _employee_input(coordinator, analysis, today)
    return [
        f"Risk analysis: {TITLE} ({len(risks)} risks, {len(MEASURES)} measures, a workshop and "
        f"a questionnaire answered by {len(ANSWERS)} employees)"
    ]


# What the employees of the directorate answered in the demo questionnaire.
ANSWERS = [
    ("Offertes worden soms door één persoon beoordeeld.", 3, 4, "Altijd twee beoordelaars."),
    ("Vergunningaanvragers bellen ons rechtstreeks op.", 2, 3, "Eén loket voor contact."),
    ("Gevoelige stukken liggen op de printer.", 4, 2, "Printen met een pas."),
    ("Geschenken van leveranciers rond de feestdagen.", 3, 2, ""),
    ("Inloggegevens worden gedeeld bij drukte.", 3, 4, "Voldoende accounts."),
]


def _employee_input(coordinator, analysis, today) -> None:
    """A workshop whose risks are the analysis's (source "workshop"), and a questionnaire:
    six invitations, five answered, so its results are shown."""
    from . import questionnaire

    questionnaire.add_workshop(
        coordinator,
        analysis,
        {
            "held_on": today - datetime.timedelta(days=35),
            "participants": 9,
            "outcome": "Twee dagdelen met medewerkers van inkoop, vergunningen en de "
            "informatiehuishouding: de risico's van deze analyse, en de wens om offertes altijd "
            "met twee te beoordelen.",
        },
    )
    asked = questionnaire.create_questionnaire(
        coordinator,
        analysis,
        {
            "title": "Welke integriteitsrisico's ziet u in uw werk?",
            "introduction": "Voor de risicoanalyse van de Directie Bedrijfsvoering.",
            "closes_on": today + datetime.timedelta(days=21),
        },
    )
    questionnaire.open_questionnaire(coordinator, asked)
    codes = questionnaire.issue_invitations(coordinator, asked, len(ANSWERS) + 1)
    for code, (risk, likelihood, impact, measure) in zip(codes, ANSWERS, strict=False):
        questionnaire.answer(
            questionnaire.digest(code),
            questionnaire.AnswerValues(
                activities=[VulnerableActivity.CONTRACTING.value],
                risk=risk,
                likelihood=likelihood,
                impact=impact,
                measure=measure,
            ),
        )
