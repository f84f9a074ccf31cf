"""Demo (only `manage.py load_demo`): BZK's integrity policy for four years from last year,
adopted, with goals measured by the registry and the advisers' log, one interim evaluation and
its follow-up actions, one of them overdue."""

import datetime

from integriteit.accounts.demo import DemoContext, signed_in

from . import policy
from .models import GoalResult, IntegrityPolicy, PolicyAction, SystemFigure

# A goal served by the demo risk analysis: its procurement risks and measures are linked to it.
PROCUREMENT_GOAL = (
    "Inkoop zonder bevoordeling",
    "Aandeel gunningen boven € 50.000 met een tweede beoordelaar",
    "100% vanaf het tweede jaar",
)

GOALS = [
    (
        "Meldingen worden op tijd bevestigd en teruggekoppeld",
        "Aandeel meldingen binnen 7 dagen bevestigd (registratie)",
        "Ten minste 95% per jaar",
        SystemFigure.ACKNOWLEDGED_IN_TIME,
        "Werkinstructie voor het meldpunt; wekelijkse controle van de werkvoorraad.",
    ),
    (
        "Medewerkers weten de vertrouwenspersoon te vinden",
        "Aantal gesprekken met vertrouwenspersonen (jaarverslag vertrouwenspersonen)",
        "Jaarlijks stijgend tot de medewerkersonderzoeken laten zien dat iedereen de weg weet",
        SystemFigure.ADVISER_CONVERSATIONS,
        "Campagne op intranet; introductie voor nieuwe medewerkers.",
    ),
    (
        "Vermoedens van schendingen worden gemeld",
        "Aantal ontvangen meldingen (registratie)",
        "Geen daling ten opzichte van het jaar ervoor",
        SystemFigure.REPORTS,
        "Dilemmatrainingen voor leidinggevenden.",
    ),
]


def load_policy(context: DemoContext) -> list[str]:
    bzk = context.organisations["bzk"]
    if IntegrityPolicy.objects.filter(organisation=bzk).exists():
        return []
    coordinator = signed_in(context.people["coordinator"])
    today = datetime.date.today()
    start = datetime.date(today.year - 1, 1, 1)
    found = policy.create_policy(
        coordinator,
        bzk,
        {
            "title": f"Integriteitsbeleid BZK {start.year}–{start.year + 3}",
            "period_start": start,
            "period_end": datetime.date(start.year + 3, 12, 31),
            "evaluation_due": datetime.date(start.year + 1, 12, 1),
        },
    )
    for title, indicator, target, figure, measures in GOALS:
        policy.save_goal(
            coordinator,
            found,
            {
                "title": title,
                "indicator": indicator,
                "target": target,
                "system_figure": figure,
                "measures": measures,
            },
        )
    risks, measures = policy.linkable(found)
    procurement_risks = [r for r in risks if r.process.area == "procurement"]
    if procurement_risks:
        title, indicator, target = PROCUREMENT_GOAL
        policy.save_goal(
            coordinator,
            found,
            {
                "title": title,
                "indicator": indicator,
                "target": target,
                "system_figure": "",
                "measures": "",
                "risks": procurement_risks,
                "analysis_measures": [
                    m for m in measures if set(m.risks.all()) & set(procurement_risks)
                ],
            },
        )
    policy.adopt(coordinator, found, datetime.date(start.year, 2, 1), "De secretaris-generaal")
    held_on = min(today, datetime.date(start.year, 12, 15))
    results = [GoalResult.PARTLY, GoalResult.ACHIEVED, GoalResult.NOT_MEASURABLE, GoalResult.PARTLY]
    evaluation = policy.evaluate(
        coordinator,
        found,
        held_on=held_on,
        conclusion="Tussentijdse evaluatie na het eerste jaar: de bevestigingstermijn wordt "
        "nog niet altijd gehaald; de vertrouwenspersonen worden beter gevonden.",
        outcomes=[
            policy.GoalOutcome(
                goal, result, "Zie de cijfers hiernaast.", "Een tweede medewerker meldpunt."
            )
            for goal, result in zip(found.goals.all(), results, strict=False)
        ],
        next_evaluation_due=datetime.date(start.year + 1, 12, 1),
    )
    policy.add_action(
        coordinator,
        evaluation,
        {"description": "Tweede medewerker meldpunt werven", "owner": "HR", "due_on": today},
    )
    # Overdue: due before today (the service refuses a date in the past, so set afterwards).
    late = policy.add_action(
        coordinator,
        evaluation,
        {
            "description": "Meldregeling op intranet vernieuwen",
            "owner": "Communicatie",
            "due_on": today,
        },
    )
    PolicyAction.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=14))
    return [f"Prevention: BZK's integrity policy, adopted, evaluated once ({found.title})"]
