"""Demo registry (only `manage.py load_demo`): cases BZK handled before this system or outside
it, 2019 to last year, registered by hand in the lists of their year, some investigated with
findings and measures, so the registry list is not empty. The demo cases' own entries follow
from the case handling (feed.py)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from integriteit.accounts.demo import DemoContext, signed_in
from integriteit.reports.constants import Kind

from . import returns, taxonomy
from .constants import ReturnStatus
from .entries import EntryValues
from .models import AnnualReturn, Entry, Publication
from .services import write_manual_entry

FIRST_YEAR = 2019
PER_YEAR = 5
REASON = "Demo: paper file from before the system"
LATE_REASON = "Demo: paper file found after the annual return was submitted"


def _values(rng: random.Random, organisation_id: int, year: int, number: int) -> EntryValues:
    types = [c.code for c in taxonomy.version_for(taxonomy.VIOLATION_TYPE, year).categories.all()]
    measures = [c.code for c in taxonomy.version_for(taxonomy.MEASURE, year).categories.all()]
    channels = [c.code for c in taxonomy.version_for(taxonomy.CHANNEL, year).categories.all()]
    executors = [c.code for c in taxonomy.version_for(taxonomy.EXECUTOR, year).categories.all()]
    received = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 300))
    chosen = sorted(rng.sample(types, k=rng.choice([1, 1, 2])))
    investigated = rng.random() < 0.6
    findings: dict[str, bool] = {}
    entry_measures: dict[str, int] = {}
    if investigated:
        findings = {code: rng.random() < 0.6 for code in chosen}
        if any(findings.values()):
            sanctions = [code for code in measures if code not in ("none", "other")]
            entry_measures = {rng.choice(sanctions): rng.choice([1, 1, 2])}
        else:
            entry_measures = {"none": 1} if "none" in measures else {}
    closed = received + datetime.timedelta(days=rng.randrange(20, 240))
    return EntryValues(
        organisation_id=organisation_id,
        reference=f"BZK-P-{year}-{number:03d}",
        kind=rng.choice([Kind.INTEGRITY_VIOLATION] * 3 + [Kind.UNDESIRABLE_BEHAVIOUR]),
        received_on=received,
        channel=rng.choice(channels) if channels else "",
        violation_types=chosen,
        acknowledged_on=received + datetime.timedelta(days=rng.randrange(1, 10)),
        fed_back_on=closed - datetime.timedelta(days=rng.randrange(0, 10)),
        closed_on=closed,
        follow_up="investigation" if investigated else "no_further_action",
        investigated=investigated,
        executor=rng.choice(executors) if investigated and executors else "",
        findings=findings,
        measures=entry_measures,
        criminal_complaints=1 if investigated and rng.random() < 0.15 else 0,
        persons_involved=rng.choice([1, 1, 1, 2]),
        version_year=year,
    )


def load_registry(context: DemoContext) -> list[str]:
    bzk = context.organisations["bzk"]
    coordinator = context.people["coordinator"]
    rng = random.Random(2019)  # noqa: S311 - the same demo every time, no secret
    last_year = datetime.date.today().year - 1
    added = 0
    for year in range(FIRST_YEAR, last_year + 1):
        for number in range(1, PER_YEAR + 1):
            values = _values(rng, bzk.pk, year, number)
            if Entry.objects.filter(organisation=bzk, reference=values.reference).exists():
                continue
            write_manual_entry(values, by=coordinator, reason=REASON)
            added += 1
    lines = [f"Registry: {added} entries registered by hand for BZK ({FIRST_YEAR}–{last_year})."]
    return lines + _load_returns(context, last_year)


def _load_returns(context: DemoContext, last_year: int) -> list[str]:
    """BZK's return of the year before last validated and published, so the government-wide
    figures page shows a year; last year's submitted and waiting for BZK's validation, with a
    case registered after the submission (the difference BZK's management and competent
    authority see on "Figures of my organisation")."""
    bzk = context.organisations["bzk"]
    coordinator = signed_in(context.people["coordinator"])
    government = signed_in(context.people["bzk-coordinator"])
    published_year = last_year - 1
    if Publication.objects.filter(year=published_year).exists():
        return []
    for year in (published_year, last_year):
        returns.set_headcount(coordinator, bzk, year, Decimal("3100.0"))
        annual_return = returns.open_return(coordinator, bzk, year)
        if annual_return.status == ReturnStatus.DRAFT:
            returns.submit(coordinator, annual_return, "Demo")
    # A case of last year registered after its return was submitted: the return page and the
    # figures of the organisation show where the registry now differs from the return.
    late = _values(random.Random(last_year), bzk.pk, last_year, PER_YEAR + 1)  # noqa: S311
    if not Entry.objects.filter(organisation=bzk, reference=late.reference).exists():
        write_manual_entry(late, by=context.people["coordinator"], reason=LATE_REASON)
    published = AnnualReturn.objects.get(organisation=bzk, year=published_year)
    returns.validate(government, published)
    returns.publish(government, published_year)
    return [
        f"Registry: BZK's annual return {published_year} published, {last_year} submitted and "
        "waiting for the government-wide coordinator; one case of that year registered after "
        "the submission."
    ]
