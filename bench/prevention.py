#!/usr/bin/env python
"""Prevention benchmark: the heat map of a risk analysis and the register of side activities.

Run with `make bench` (or `.venv/bin/python bench/prevention.py --help`); docs/benchmarks.md
explains what is measured. Like bench/registry.py (helpers from bench/harness.py) the script
sets up a dedicated PostgreSQL database (dropped afterwards), migrates and loads the demo, then
grows the data step by step (×10 by default) and at every size:

1. fills one analysis of BZK with risks (bulk_create): processes of ten risks, an inherent score
   for every risk, a residual score for ~70 % crediting one of the analysis's measures (a tenth
   of them retired, so that residual score no longer holds), measures linked to the risks; and
   fills BZK's register of side activities: officials in BZK holding one of five designated
   functions (FunctionAssignment), submitted and assessed declarations (some withdrawn) with
   their version rows as the services write them (created, submitted, assessed, withdrawn);
   VACUUM ANALYZE;
2. times, interleaved in the same run, median of --runs after a warm-up, in-process (Django's
   test client, the BZK coordinator with a verified second factor): the heat map page
   `/risicoanalyses/<id>/heatmap/`, its bare SQL (the counts per (likelihood, impact) cell before
   and after measures), the register page `/nevenwerkzaamheden/register/`, its bare SQL (the
   first page of 25 rows with their columns and the count for the pager) and an empty staff page
   (the floor: middleware, session, second factor and base template); SQL queries counted with
   CaptureQueriesContext. The bare SQL is checked to give what the page shows.

It prints the ratios, writes bench/results/prevention-<date>.json and exits 1 when one of the
issue's requirements fails: every page at most 1.5 × its bare SQL + the empty page at every
size, and the same number of queries at every size.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime as dt
from pathlib import Path

from harness import (  # bench/ is on sys.path when run as a script
    EMPTY_PAGE,
    RESULTS,
    ROOT,
    bench_environment,
    empty_page_urls,
    git_commit,
    prepare_database,
    print_machine,
    queries_of,
    recreate_database,
    stats,
    timed,
    use_django,
)

COORDINATOR = "coordinator"  # demo: BZK's integrity coordinator (accounts/demo.py)
ASSESSOR = "manager"
MAX_RATIO = 1.5
PAGE_SIZE = 25  # prevention.views.declarations.PAGE_SIZE
FUNCTIONS = 5
DECLARATIONS_PER_OFFICIAL = 25


def sizes(value: str) -> list[int]:
    found = sorted({int(part.replace("_", "")) for part in value.split(",") if part.strip()})
    if not found or found[0] <= 0:
        raise argparse.ArgumentTypeError("sizes are positive numbers, e.g. 500,5000")
    return found


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--risks",
        type=sizes,
        default=[500, 5_000],
        help="risks in the analysis at each step, comma-separated (default 500,5000)",
    )
    parser.add_argument(
        "--declarations",
        type=sizes,
        default=[5_000, 50_000],
        help="declarations in the register at each step (default 5000,50000)",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs per measurement")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--database", default="integriteit_bench_prevention")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    parser.add_argument("--suffix", default="")
    args = parser.parse_args()
    if len(args.risks) != len(args.declarations):
        parser.error("--risks and --declarations need as many sizes")
    return args


# --- Data -------------------------------------------------------------------------------------


def analysis_for_bench():
    from django.utils import timezone

    from integriteit.accounts.models import User
    from integriteit.organisations.models import Organisation
    from integriteit.prevention import matrices
    from integriteit.prevention.models import Analysis

    bzk = Organisation.objects.get(slug="bzk")
    return Analysis.objects.create(
        organisation=bzk,
        title="Benchmark: risicoanalyse",
        year=timezone.localdate().year,
        analysed_on=timezone.localdate(),
        matrix=matrices.matrix_for(bzk),
        created_by=User.objects.get(username=COORDINATOR),
    )


def fill_risks(analysis, count: int, start: int, rng: random.Random) -> None:
    """`count` more risks in `analysis`: processes of ten, an inherent score each, a residual
    score for ~70 % crediting a measure of the analysis (a tenth of the measures retired)."""
    from django.utils import timezone

    from integriteit.prevention import matrices
    from integriteit.prevention.constants_analyses import (
        Axis,
        MeasureKind,
        MeasureStatus,
        ScoreKind,
    )
    from integriteit.prevention.models import Measure, Process, Risk, Score

    matrix = analysis.matrix
    grid = matrices.grid(matrix)
    labels = {
        axis: {s.value: s.label for s in matrices.steps(matrix, axis)}
        for axis in (Axis.LIKELIHOOD, Axis.IMPACT)
    }
    cells = sorted(grid)
    now = timezone.now()
    processes = Process.objects.bulk_create(
        [
            Process(analysis=analysis, name=f"Proces {number:05d}")
            for number in range(start // 10 + 1, (start + count) // 10 + 1)
        ],
        batch_size=2000,
    )
    statuses = [MeasureStatus.IN_PLACE] * 6 + [MeasureStatus.PLANNED] * 3 + [MeasureStatus.RETIRED]
    measures = Measure.objects.bulk_create(
        [
            Measure(
                analysis=analysis,
                kind=rng.choice(MeasureKind.values),
                description=f"Maatregel {number:05d}",
                status=statuses[number % 10],
            )
            for number in range(start // 5 + 1, (start + count) // 5 + 1)
        ],
        batch_size=2000,
    )
    risks = Risk.objects.bulk_create(
        [
            Risk(
                process=processes[i // 10],
                title=f"Risico {start + i + 1:05d}",
                owner="Afdelingshoofd",
                review_on=now.date() + datetime.timedelta(days=rng.randint(-30, 300)),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )

    def score(risk, kind, likelihood, impact, when):
        level = grid[(likelihood, impact)]
        return Score(
            risk=risk,
            kind=kind,
            matrix=matrix,
            matrix_name=matrix.name,
            matrix_version=matrix.version,
            likelihood=likelihood,
            impact=impact,
            likelihood_label=labels[Axis.LIKELIHOOD][likelihood],
            impact_label=labels[Axis.IMPACT][impact],
            level_code=level.code,
            level_name=level.name,
            level_rank=level.rank,
            treatment=level.treatment,
            review_days=level.review_days,
            created_at=when,
        )

    scores, credits, links = [], [], []
    for risk in risks:
        likelihood, impact = rng.choice(cells)
        scores.append(score(risk, ScoreKind.INHERENT, likelihood, impact, now))
        measure = rng.choice(measures)
        links.append(Measure.risks.through(measure_id=measure.pk, risk_id=risk.pk))
        if rng.random() < 0.7:
            lower = (max(1, likelihood - rng.randint(0, 2)), max(1, impact - rng.randint(0, 1)))
            if lower not in grid:
                lower = (likelihood, impact)
            scores.append(
                score(risk, ScoreKind.RESIDUAL, *lower, now + datetime.timedelta(seconds=1))
            )
            credits.append(measure.pk)
    scores = Score.objects.bulk_create(scores, batch_size=2000)
    residual = [s for s in scores if s.kind == ScoreKind.RESIDUAL]
    Score.credited.through.objects.bulk_create(
        [
            Score.credited.through(score_id=s.pk, measure_id=m)
            for s, m in zip(residual, credits, strict=True)
        ],
        batch_size=5000,
    )
    Measure.risks.through.objects.bulk_create(links, batch_size=5000)


def officials(count: int, start: int) -> list:
    """`count` more officials in BZK, each holding one of the designated functions."""
    from django.utils import timezone

    from integriteit.accounts.models import User
    from integriteit.organisations.models import Organisation, Unit
    from integriteit.prevention.models import DesignatedFunction, FunctionAssignment

    bzk = Organisation.objects.get(slug="bzk")
    units = list(Unit.objects.filter(organisation=bzk).order_by("pk"))
    functions = []
    for number in range(1, FUNCTIONS + 1):
        function, _ = DesignatedFunction.objects.get_or_create(
            organisation=bzk, name=f"Benchmarkfunctie {number}"
        )
        functions.append(function)
    first_names = ["Anna", "Bram", "Chris", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ivo", "Jet"]
    people = User.objects.bulk_create(
        [
            User(
                username=f"bench-{n:06d}",
                first_name=first_names[n % len(first_names)],
                last_name=f"Ambtenaar {n:06d}",
                unit=units[n % len(units)],
                password="!",
            )
            for n in range(start + 1, start + count + 1)
        ],
        batch_size=2000,
    )
    coordinator = User.objects.get(username=COORDINATOR)
    starts = timezone.localdate() - datetime.timedelta(days=800)
    FunctionAssignment.objects.bulk_create(
        [
            FunctionAssignment(
                function=functions[i % FUNCTIONS],
                person=person,
                starts_on=starts,
                recorded_by=coordinator,
            )
            for i, person in enumerate(people)
        ],
        batch_size=2000,
    )
    return [(person, functions[i % FUNCTIONS]) for i, person in enumerate(people)]


def fill_declarations(count: int, start: int, rng: random.Random) -> None:
    """`count` more submitted declarations in BZK's register, with their versions: half
    assessed, a tenth of those withdrawn afterwards, some confirmed over a year ago."""
    from decimal import Decimal

    from django.utils import timezone

    from integriteit.accounts.models import User
    from integriteit.organisations.models import Organisation
    from integriteit.prevention.declarations import _snapshot
    from integriteit.prevention.models import (
        Decision,
        DeclarationStatus,
        SideActivity,
        SideActivityVersion,
    )

    bzk = Organisation.objects.get(slug="bzk")
    assessor = User.objects.get(username=ASSESSOR)
    holders = officials(count // DECLARATIONS_PER_OFFICIAL, start // DECLARATIONS_PER_OFFICIAL)
    now = timezone.now()
    employers = ["Gemeente", "Stichting", "Vereniging", "Hogeschool", "Raad van toezicht"]
    declarations, events = [], []
    for i in range(count):
        person, function = holders[i % len(holders)]
        submitted = now - datetime.timedelta(days=rng.randint(1, 700))
        assessed = rng.random() < 0.5
        withdrawn = assessed and rng.random() < 0.1
        declaration = SideActivity(
            official=person,
            organisation=bzk,
            function=function,
            description=f"Nevenwerkzaamheid {start + i + 1:06d}: bestuurslid, penningmeester",
            employer=f"{rng.choice(employers)} {rng.randint(1, 999)}",
            paid=rng.random() < 0.4,
            hours_per_month=Decimal(rng.randint(1, 40)),
            starts_on=submitted.date() - datetime.timedelta(days=rng.randint(0, 60)),
            status=DeclarationStatus.ASSESSED if assessed else DeclarationStatus.SUBMITTED,
            submitted_at=submitted,
            confirmed_at=submitted,
            decision=rng.choice(Decision.values) if assessed else "",
            reasons="Raakt het werk niet." if assessed else "",
            assessed_by=assessor if assessed else None,
            assessed_at=submitted + datetime.timedelta(days=3) if assessed else None,
            withdrawn_at=submitted + datetime.timedelta(days=20) if withdrawn else None,
            withdrawal_reason="Gestopt." if withdrawn else "",
        )
        steps = ["created", "submitted"] + (["assessed"] if assessed else [])
        steps += ["withdrawn"] if withdrawn else []
        declaration.version = len(steps)
        declarations.append(declaration)
        events.append((steps, person, submitted))
    declarations = SideActivity.objects.bulk_create(declarations, batch_size=2000)
    versions = []
    for declaration, (steps, person, submitted) in zip(declarations, events, strict=True):
        snapshot = _snapshot(declaration)
        for number, event in enumerate(steps, start=1):
            versions.append(
                SideActivityVersion(
                    declaration=declaration,
                    number=number,
                    event=event,
                    snapshot=snapshot,
                    recorded_by=assessor if event == "assessed" else person,
                    recorded_at=submitted,
                )
            )
        if len(versions) >= 20_000:
            SideActivityVersion.objects.bulk_create(versions, batch_size=5000)
            versions = []
    SideActivityVersion.objects.bulk_create(versions, batch_size=5000)


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- The bare SQL -----------------------------------------------------------------------------

# The counts per (likelihood, impact) cell before and after measures: the latest score of each
# kind; a residual score holds while none of the measures it credited is retired; after
# measures a risk counts with its residual score that holds, else its inherent one.
HEAT_SQL = """
WITH latest AS MATERIALIZED (
    SELECT DISTINCT ON (s.risk_id, s.kind) s.id, s.risk_id, s.kind, s.likelihood, s.impact
    FROM prevention_score s
    JOIN prevention_risk r ON r.id = s.risk_id
    JOIN prevention_process p ON p.id = r.process_id
    WHERE p.analysis_id = %(analysis)s
    ORDER BY s.risk_id, s.kind, s.created_at DESC, s.id DESC
), holds AS (
    SELECT l.risk_id, l.likelihood, l.impact FROM latest l
    WHERE l.kind = 'residual' AND NOT EXISTS (
        SELECT 1 FROM prevention_score_credited c
        JOIN prevention_measure m ON m.id = c.measure_id
        WHERE c.score_id = l.id AND m.status = 'retired'
    )
)
SELECT 'before', i.likelihood, i.impact, count(*) FROM latest i
WHERE i.kind = 'inherent' GROUP BY i.likelihood, i.impact
UNION ALL
SELECT 'after', coalesce(h.likelihood, i.likelihood), coalesce(h.impact, i.impact), count(*)
FROM latest i LEFT JOIN holds h ON h.risk_id = i.risk_id
WHERE i.kind = 'inherent' GROUP BY 2, 3
"""

# The register's first page (its columns) and the count for the pager.
REGISTER_SQL = """
SELECT d.id, u.first_name, u.last_name, u.username, f.name, d.description, d.employer, d.paid,
       d.status, d.decision, d.withdrawn_at, d.confirmed_at
FROM prevention_sideactivity d
JOIN accounts_user u ON u.id = d.official_id
LEFT JOIN prevention_designatedfunction f ON f.id = d.function_id
WHERE d.organisation_id = %(organisation)s AND d.submitted_at IS NOT NULL
ORDER BY u.last_name, u.first_name, d.id DESC
LIMIT %(limit)s
"""
REGISTER_COUNT_SQL = """
SELECT count(*) FROM prevention_sideactivity d
WHERE d.organisation_id = %(organisation)s AND d.submitted_at IS NOT NULL
"""


def heat_sql(analysis_id: int) -> dict[str, Counter]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(HEAT_SQL, {"analysis": analysis_id})
        found: dict[str, Counter] = {"before": Counter(), "after": Counter()}
        for kind, likelihood, impact, n in cursor.fetchall():
            found[kind][(likelihood, impact)] = n
        return found


def register_sql(organisation_id: int) -> tuple[list[tuple], int]:
    from django.db import connection

    parameters = {"organisation": organisation_id, "limit": PAGE_SIZE}
    with connection.cursor() as cursor:
        cursor.execute(REGISTER_SQL, parameters)
        rows = cursor.fetchall()
        cursor.execute(REGISTER_COUNT_SQL, parameters)
        return rows, cursor.fetchone()[0]


def check_bare_sql(analysis, organisation_id: int, client) -> None:
    """The bare SQL gives what the pages show."""
    from integriteit.prevention import selectors_analyses

    counts = selectors_analyses.heat_counts(selectors_analyses.register(analysis))
    bare = heat_sql(analysis.pk)
    if bare["before"] != counts.before or bare["after"] != counts.after:
        sys.exit(f"heat map: the bare SQL counts {bare} differ from the register's {counts}")
    counted = selectors_analyses.heat_counts_of(analysis)  # what the heat map page shows
    if counted != counts:
        sys.exit(f"heat map: heat_counts_of {counted} differs from the register's {counts}")
    rows, total = register_sql(organisation_id)
    page = client.get("/nevenwerkzaamheden/register/").content.decode()
    shown = [int(pk) for pk in re.findall(r'data-declaration="(\d+)"', page)]
    if shown != [row[0] for row in rows]:
        sys.exit(f"register: the page shows {shown}, the bare SQL {[row[0] for row in rows]}")
    if f">{total} " not in page and f">{total:,} " not in page:
        # The caption "<count> declarations"; localised thousands are left to the eye.
        print(f"  (note: the count {total} was not found verbatim in the page's caption)")


# --- Measuring --------------------------------------------------------------------------------


PAIRS = (("heat_map", "heat_map_sql"), ("register", "register_sql"))


def measure(client, analysis, organisation_id: int, runs: int) -> dict:
    def page(url: str) -> Callable[[], object]:
        def get():
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url}: {response.status_code} in-process")
            return response

        return get

    check_bare_sql(analysis, organisation_id, client)
    measured: dict[str, Callable[[], object]] = {
        "heat_map": page(f"/risicoanalyses/{analysis.pk}/heatmap/"),
        "heat_map_sql": lambda: heat_sql(analysis.pk),
        "register": page("/nevenwerkzaamheden/register/"),
        "register_sql": lambda: register_sql(organisation_id),
        "empty_page": page(EMPTY_PAGE),
    }
    for call in measured.values():
        call()  # warm-up
    queries = {name: queries_of(call) for name, call in measured.items()}
    times: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(runs):  # interleaved: the machine's background hits all of them alike
        for name, call in measured.items():
            times[name].append(timed(call))
    result: dict = {name: {**stats(times[name]), "queries": queries[name]} for name in measured}
    empty = result["empty_page"]["median_ms"]
    result["ratios"] = {
        f"{name}_to_sql_plus_empty": round(
            result[name]["median_ms"] / (result[sql]["median_ms"] + empty), 2
        )
        for name, sql in PAIRS
    }
    return result


def requirements(results: dict[str, dict]) -> dict[str, dict]:
    checks: dict[str, dict] = {}
    for name, _sql in PAIRS:
        key = f"{name}_to_sql_plus_empty"
        ratios = {size: r["ratios"][key] for size, r in results.items()}
        checks[f"{name}_at_most_1.5x_sql_plus_empty"] = {
            "met": all(v <= MAX_RATIO for v in ratios.values()),
            "ratio": key,
            "ratios": ratios,
        }
    for name in ("heat_map", "heat_map_sql", "register", "register_sql", "empty_page"):
        counts = {size: r[name]["queries"] for size, r in results.items()}
        checks[f"{name}_queries_constant"] = {
            "met": len(set(counts.values())) == 1,
            "queries": counts,
        }
    return checks


def report(args: argparse.Namespace, results: dict[str, dict], checks: dict[str, dict]) -> None:
    print(f"\nPrevention pages, median of {args.runs} runs (ms; queries in brackets):")
    print(
        f"{'risks/declarations':>19} {'heat map':>12} {'its SQL':>9} {'register':>12} "
        f"{'its SQL':>9} {'empty':>10} {'heat/(SQL+e)':>13} {'reg/(SQL+e)':>12}"
    )
    for size, r in results.items():
        cells = [
            f"{r[name]['median_ms']:.1f} ({r[name]['queries']})"
            for name in ("heat_map", "heat_map_sql", "register", "register_sql", "empty_page")
        ]
        ratios = r["ratios"]
        print(
            f"{size:>19} {cells[0]:>12} {cells[1]:>9} {cells[2]:>12} {cells[3]:>9} "
            f"{cells[4]:>10} {ratios['heat_map_to_sql_plus_empty']:>13.2f} "
            f"{ratios['register_to_sql_plus_empty']:>12.2f}"
        )
    for name, check in checks.items():
        detail = (
            f"{check['ratio']} {check['ratios']}"
            if "ratios" in check
            else f"queries {check['queries']}"
        )
        print(f"{name}: {'met' if check['met'] else 'NOT met'} ({detail})")


# --- Main -------------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="integriteit-bench-prevention-"))
    database_url = f"{args.postgres}/{args.database}"
    # testserver: the pages are fetched in-process with Django's test client.
    env = bench_environment(database_url, workdir, allowed_hosts="testserver")
    info = print_machine(args.postgres)
    print(f"Setting up database {args.database} ...", flush=True)
    recreate_database(args.postgres, args.database)
    results: dict[str, dict] = {}
    fills: dict[str, float] = {}
    try:
        prepare_database(env)  # the pages need the cache table and static files
        use_django(env)
        from django.db import connection
        from django.test.utils import override_settings

        from integriteit import testing
        from integriteit.accounts.models import User
        from integriteit.organisations.models import Organisation

        rng = random.Random(20261204)
        organisation_id = Organisation.objects.get(slug="bzk").pk
        analysis = analysis_for_bench()
        risks = declarations = 0
        with override_settings(ROOT_URLCONF=empty_page_urls("prevention_bench_urls")):
            client = testing.verified_client(User.objects.get(username=COORDINATOR))
            for risk_size, declaration_size in zip(args.risks, args.declarations, strict=True):
                start = time.perf_counter()
                fill_risks(analysis, risk_size - risks, risks, rng)
                fill_declarations(declaration_size - declarations, declarations, rng)
                risks, declarations = risk_size, declaration_size
                vacuum_analyze()
                key = f"{risk_size}/{declaration_size}"
                fills[key] = round(time.perf_counter() - start, 1)
                print(
                    f"{risk_size:,} risks and {declaration_size:,} declarations filled and "
                    f"analysed in {fills[key]:.0f} s; measuring ...",
                    flush=True,
                )
                result = measure(client, analysis, organisation_id, args.runs)
                results[key] = result
                print(
                    "  "
                    + ", ".join(
                        f"{name} {result[name]['median_ms']:.1f} ms"
                        for name in ("heat_map", "heat_map_sql", "register", "register_sql")
                    )
                    + f", empty page {result['empty_page']['median_ms']:.1f} ms",
                    flush=True,
                )
        connection.close()
    finally:
        if not args.keep_database:
            recreate_database(args.postgres, args.database, drop_only=True)
        shutil.rmtree(workdir, ignore_errors=True)

    checks = requirements(results)
    report(args, results, checks)
    document = {
        "benchmark": "prevention: heat map and register of side activities against the bare SQL "
        "(bench/prevention.py)",
        "date": dt.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": info,
        "database": "PostgreSQL on 127.0.0.1",
        "data": {
            "organisation": "bzk",
            "sizes": list(results),
            "fill_and_analyse_s": fills,
            "declarations_per_official": DECLARATIONS_PER_OFFICIAL,
            "designated_functions": FUNCTIONS,
        },
        "runs": args.runs,
        "results": results,
        "requirements": checks,
    }
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"prevention-{dt.now():%Y-%m-%d}{args.suffix}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"Written to {out.relative_to(ROOT)}")
    return 0 if all(check["met"] for check in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
