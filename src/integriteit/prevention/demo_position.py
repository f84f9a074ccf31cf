"""Demo (only `manage.py load_demo`): BZK's coordinator as seed 001 §3.4.2 found several
ministries, BZK among them: part-time, without a team, placed within HR; the year before,
recorded earlier, without her tasks laid down."""

import datetime
from decimal import Decimal

from integriteit.accounts.demo import DemoContext

from .models import CoordinatorPosition, Placement
from .position import write_position


def load_position(context: DemoContext) -> list[str]:
    bzk = context.organisations["bzk"]
    if CoordinatorPosition.objects.filter(organisation=bzk).exists():
        return []
    this_year = datetime.date.today().year
    common = {
        "hours_per_week": Decimal("24"),
        "team_fte": Decimal("0"),
        "placement": Placement.IN_THE_LINE,
        "direct_access": False,
        "may_convene": False,
        "note": "",
    }
    by = context.people["coordinator"]
    write_position(
        bzk,
        {
            **common,
            "valid_from": datetime.date(this_year - 1, 1, 1),
            "tasks_laid_down": False,
            "mandate_reference": "",
        },
        by=by,
    )
    write_position(
        bzk,
        {
            **common,
            "valid_from": datetime.date(this_year, 1, 1),
            "tasks_laid_down": True,
            "mandate_reference": f"Taakomschrijving integriteitscoördinator, januari {this_year}",
        },
        by=by,
    )
    return ["Prevention: the position of BZK's integrity coordinator (two situations)"]
