"""Demo organisations and people: two ministries with units and one person for every role."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.organisations.constants import Sector
from integriteit.organisations.models import Organisation, Unit

from .constants import Role
from .models import RoleAssignment, User

DEMO_PASSWORD = "demo-Integriteit-2026"  # noqa: S105 - printed for the demo on purpose

# Demo data of later modules (the advisers' register), added after the people: each registers
# its loader from apps.py, so accounts imports none of them.
DemoLoader = Callable[[dict[str, Organisation]], None]
_demo_loaders: list[DemoLoader] = []


def register_demo_loader(loader: DemoLoader) -> None:
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)


@dataclass(frozen=True)
class DemoContext:
    """What a content loader works with: the demo organisations and people by username."""

    organisations: dict[str, Organisation]
    people: dict[str, User]


# Demo content (cases in every phase, an adviser's log): what a newcomer looks at. Only
# `manage.py load_demo` loads it, after the people; `load_demo()` alone (the tests' people,
# integriteit.testing.load_people) has none. A loader returns lines for the command to print.
DemoContentLoader = Callable[[DemoContext], list[str]]
_content_loaders: list[DemoContentLoader] = []


def signed_in(user: User) -> User:
    """The demo person as the OTP middleware leaves them after the second factor: the services
    a content loader calls check `is_verified`, which the middleware adds at run time."""
    setattr(user, "is_verified", lambda: True)  # noqa: B010 - not an attribute of the model
    return user


def register_demo_content(loader: DemoContentLoader) -> None:
    if loader not in _content_loaders:
        _content_loaders.append(loader)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    organisation: str
    unit: str | None
    roles: tuple[Role, ...]
    leads: str | None = None
    also_in: tuple[str, ...] = ()  # further organisations where the roles hold


ORGANISATIONS = {
    "bzk": ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "BZK"),
    "fin": ("Ministerie van Financiën", "FIN"),
}
# (organisation, unit, parent unit)
UNITS = [
    ("bzk", "DG Overheidsorganisatie", None),
    ("bzk", "Directie Ambtenaar en Organisatie", "DG Overheidsorganisatie"),
    ("bzk", "Team Integriteit en Ethiek", "Directie Ambtenaar en Organisatie"),
    ("bzk", "Directie Bedrijfsvoering", None),
    ("fin", "DG Fiscaliteit", None),
    ("fin", "Directie Douane en Accijnzen", "DG Fiscaliteit"),
]
PEOPLE = [
    DemoPerson(
        "coordinator",
        "Ilse",
        "de Coördinator",
        "bzk",
        "Directie Bedrijfsvoering",
        (Role.COORDINATOR,),
    ),
    DemoPerson(
        "employee", "Esra", "Medewerker", "bzk", "Team Integriteit en Ethiek", (Role.EMPLOYEE,)
    ),
    DemoPerson(
        "manager",
        "Mark",
        "Leidinggevende",
        "bzk",
        "Directie Ambtenaar en Organisatie",
        (Role.MANAGER,),
        leads="Team Integriteit en Ethiek",
    ),
    DemoPerson(
        "director",
        "Dirk",
        "Directeur",
        "bzk",
        "DG Overheidsorganisatie",
        (Role.MANAGER,),
        leads="Directie Ambtenaar en Organisatie",
    ),
    DemoPerson(
        "adviser",
        "Vera",
        "Vertrouwenspersoon",
        "bzk",
        "Directie Bedrijfsvoering",
        (Role.CONFIDENTIAL_ADVISER,),
    ),
    DemoPerson(
        "guide",
        "Paul",
        "Procesbegeleider",
        "bzk",
        "Directie Bedrijfsvoering",
        (Role.PROCESS_GUIDE,),
    ),
    DemoPerson(
        "investigator",
        "Olga",
        "Onderzoeker",
        "bzk",
        "Directie Bedrijfsvoering",
        (Role.INVESTIGATOR,),
    ),
    DemoPerson(
        "authority",
        "Bram",
        "Bevoegd Gezag",
        "bzk",
        "DG Overheidsorganisatie",
        (Role.COMPETENT_AUTHORITY,),
    ),
    DemoPerson(
        "bzk-coordinator", "Rijk", "Brede Coördinator", "bzk", None, (Role.BZK_COORDINATOR,)
    ),
    DemoPerson("auditor", "Anne", "Auditor", "bzk", None, (Role.AUDITOR,)),
    DemoPerson("admin", "Bea", "Beheerder", "bzk", None, (Role.ADMINISTRATOR,)),
    DemoPerson(
        "coordinator-fin",
        "Femke",
        "Coördinator Financiën",
        "fin",
        "DG Fiscaliteit",
        (Role.COORDINATOR,),
    ),
    DemoPerson(
        "employee-fin",
        "Fons",
        "Medewerker Financiën",
        "fin",
        "Directie Douane en Accijnzen",
        (Role.EMPLOYEE,),
    ),
    # An external confidential adviser from a bureau, serving BZK and Financiën (seed 002).
    DemoPerson(
        "adviser-ext",
        "Xander",
        "Extern",
        "bzk",
        None,
        (Role.CONFIDENTIAL_ADVISER,),
        also_in=("fin",),
    ),
]


# People only the demo content needs: a second coordinator of BZK who handles the complaint
# about a case the first one handled (a complaint is kept from the original's handlers).
CONTENT_PEOPLE = [
    DemoPerson(
        "complaints",
        "Karin",
        "Klachtbehandelaar",
        "bzk",
        "Directie Bedrijfsvoering",
        (Role.COORDINATOR,),
    ),
]


def _organisations_and_units() -> tuple[dict[str, Organisation], dict[tuple[str, str], Unit]]:
    organisations = {}
    for slug, (name, abbreviation) in ORGANISATIONS.items():
        organisations[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "abbreviation": abbreviation, "sector": Sector.RIJK}
        )
    units: dict[tuple[str, str], Unit] = {}
    for slug, name, parent in UNITS:
        units[(slug, name)], _ = Unit.objects.update_or_create(
            organisation=organisations[slug],
            name=name,
            defaults={"parent": units[(slug, parent)] if parent else None},
        )
    return organisations, units


@transaction.atomic
def load_demo() -> list[tuple[DemoPerson, TOTPDevice]]:
    organisations, units = _organisations_and_units()
    created = [_person(person, organisations, units) for person in PEOPLE]
    for loader in _demo_loaders:  # later modules, from their apps.py
        loader(organisations)
    return created


@transaction.atomic
def load_demo_content() -> tuple[list[tuple[DemoPerson, TOTPDevice]], list[str]]:
    """The demo's cases and logs, after `load_demo`: the people they need, then each module's
    content (idempotent: a loader finds what it made before). Returns those people and the
    lines the loaders want shown."""
    organisations, units = _organisations_and_units()
    created = [_person(person, organisations, units) for person in CONTENT_PEOPLE]
    people = {user.username: user for user in User.objects.filter(username__in=_usernames())}
    context = DemoContext(organisations=organisations, people=people)
    lines: list[str] = []
    for loader in _content_loaders:
        lines += loader(context)
    return created, lines


def _usernames() -> list[str]:
    return [person.username for person in [*PEOPLE, *CONTENT_PEOPLE]]


def _person(
    person: DemoPerson,
    organisations: dict[str, Organisation],
    units: dict[tuple[str, str], Unit],
) -> tuple[DemoPerson, TOTPDevice]:
    user, new = User.objects.get_or_create(
        username=person.username,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": f"{person.username}@integriteit.example",
            "unit": units[(person.organisation, person.unit)] if person.unit else None,
        },
    )
    if new:
        user.set_password(DEMO_PASSWORD)
        if Role.ADMINISTRATOR in person.roles:
            user.is_staff = user.is_superuser = True
        user.save()
    for role in person.roles:
        RoleAssignment.objects.get_or_create(
            user=user,
            organisation=organisations[person.organisation],
            role=role,
            unit=units[(person.organisation, person.leads)] if person.leads else None,
        )
        for slug in person.also_in:
            RoleAssignment.objects.get_or_create(
                user=user, organisation=organisations[slug], role=role, unit=None
            )
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return person, device
