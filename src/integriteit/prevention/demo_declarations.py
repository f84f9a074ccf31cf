"""The register of side activities in the demo (accounts.demo, registered from apps.py; only
`manage.py load_demo` loads it): a designated function at BZK held by the employee, her
declarations in every state, the manager's own (assessed by the director, due for
re-confirmation), a financial interest and an oath. Written through the services, as the people
would; loaded once (a BZK with designated functions is left as it is)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from integriteit.accounts.demo import DemoContext

from . import declarations as services
from .models import DesignatedFunction, InterestKind, OathKind, SideActivity

FUNCTION = "Senior inkoper"


def _verified(user):
    setattr(user, "is_verified", lambda: True)  # noqa: B010 - as after the second factor
    return user


def load(context: DemoContext) -> list[str]:
    bzk = context.organisations["bzk"]
    lines = [
        "",
        "Side activities (R16): /nevenwerkzaamheden/ for every staff member; public page "
        "/openbaar/nevenwerkzaamheden/bzk/",
        "  'employee' holds the designated function "
        f"'{FUNCTION}': one published, one waiting, one draft, one withdrawn, a financial "
        "interest; 'manager' assesses at /nevenwerkzaamheden/beoordelen/ ; 'coordinator' keeps "
        "the register, the designated functions and the oaths.",
    ]
    if DesignatedFunction.objects.filter(organisation=bzk).exists():
        return lines
    people = {name: _verified(user) for name, user in context.people.items()}
    coordinator, employee = people["coordinator"], people["employee"]
    manager, director = people["manager"], people["director"]
    today = timezone.localdate()
    function = services.add_function(coordinator, bzk, FUNCTION, publish=True, financial=True)
    services.add_function(coordinator, bzk, "Beleidsmedewerker vergunningverlening", True, False)
    services.assign_function(coordinator, function, employee, today - datetime.timedelta(days=400))

    def declare(user, description, employer, paid, hours, under=None, days_ago=90):
        return services.save_draft(
            user,
            services.DeclarationInput(
                description=description,
                employer=employer,
                paid=paid,
                starts_on=today - datetime.timedelta(days=days_ago),
                hours_per_month=Decimal(hours),
                function=under,
            ),
        )

    published = declare(
        employee, "Lid van de raad van toezicht", "Woningcorporatie Haaglanden", True, "6", function
    )
    services.submit(employee, published)
    services.assess(
        manager,
        published,
        "allowed_with_conditions",
        "Geen betrokkenheid bij aanbestedingen waarin de corporatie meedingt.",
        "Raakt het inkoopwerk alleen als de corporatie inschrijft; met de voorwaarde is dat "
        "uitgesloten.",
    )
    waiting = declare(
        employee, "Gastdocent inkooprecht", "Haagse Hogeschool", True, "4", function, days_ago=10
    )
    services.submit(employee, waiting)
    declare(employee, "Penningmeester", "Volkstuinvereniging De Schoffel", False, "2", function)
    withdrawn = declare(employee, "Adviseur", "Stichting Open Inkoop", False, "3", function, 300)
    services.submit(employee, withdrawn)
    services.withdraw(employee, withdrawn, "Gestopt per 1 juni.")
    own = declare(manager, "Voorzitter", "Schaakclub Het Paard", False, "5", None, 500)
    services.submit(manager, own)
    services.assess(director, own, "allowed", "", "Raakt het werk niet.")
    # Confirmed more than a year ago: due for re-confirmation (and a reminder).
    SideActivity.objects.filter(pk=own.pk).update(
        confirmed_at=timezone.now() - datetime.timedelta(days=400)
    )
    services.declare_interest(
        employee,
        function,
        InterestKind.SECURITIES,
        "Aandelen in een leverancier van kantoormeubilair",
    )
    services.record_oath(
        coordinator,
        bzk,
        employee,
        OathKind.AFFIRMATION,
        today - datetime.timedelta(days=400),
        "De secretaris-generaal van BZK",
    )
    return lines
