#!/usr/bin/env python
"""Confidential advisers' annual report benchmark: 20,000 log entries over 5 years.

Run with `make bench` (or `.venv/bin/python bench/advisers.py --help`); docs/benchmarks.md
explains what is measured. The script sets up a dedicated PostgreSQL database (dropped
afterwards), migrates, loads the demo (organisations, units, the demo adviser), then:

1. fills the log of one organisation (BZK) with --first-size entries (bulk_create, no notes),
   spread over the five years up to --year, themes, units, referrals;
2. counts the SQL queries of `advisers.annual.figures(organisation, year)` and times it
   (median of --runs runs after one warm-up);
3. fills up to --entries entries and measures again;
4. prints the machine and the figures, writes bench/results/advisers-<date>.json.

The number of queries must be the same at both sizes (exit status 1 otherwise).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime as dt
from pathlib import Path

from harness import (  # bench/ is on sys.path when run as a script
    RESULTS,
    ROOT,
    bench_environment,
    git_commit,
    prepare_database,
    print_machine,
    recreate_database,
    use_django,
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000, help="log entries in the end")
    parser.add_argument("--first-size", type=int, default=2_000)
    parser.add_argument("--year", type=int, default=2025, help="the report's year")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--database", default="integriteit_bench_advisers")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    parser.add_argument("--suffix", default="")
    return parser.parse_args()


def populate(count: int, year: int, rng: random.Random) -> None:
    from integriteit.advisers.constants import ConversationTheme, Referral
    from integriteit.advisers.models import ConfidentialAdviser, ConversationLogEntry
    from integriteit.organisations.models import Organisation, Unit

    organisation = Organisation.objects.get(slug="bzk")
    units = [*Unit.objects.filter(organisation=organisation), None]
    advisers = list(ConfidentialAdviser.objects.filter(organisations_served=organisation))
    themes, referrals = ConversationTheme.values, Referral.values
    first = datetime.date(year - 4, 1, 1)
    days = (datetime.date(year, 12, 31) - first).days
    entries = []
    for _ in range(count):
        chosen = rng.sample(referrals, rng.choice([0, 0, 1, 1, 2]))
        entries.append(
            ConversationLogEntry(
                adviser=rng.choice(advisers),
                organisation=organisation,
                unit=rng.choice(units),
                held_on=first + datetime.timedelta(days=rng.randint(0, days)),
                theme=rng.choice(themes),
                conversations=rng.randint(1, 4),
                referrals=chosen,
                report_followed=rng.random() < 0.1,
            )
        )
    ConversationLogEntry.objects.bulk_create(entries, batch_size=2000)


def measure(year: int, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integriteit.advisers import annual
    from integriteit.organisations.models import Organisation

    organisation = Organisation.objects.get(slug="bzk")
    annual.figures(organisation, year)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        annual.figures(organisation, year)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        annual.figures(organisation, year)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "queries": len(captured.captured_queries),
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "runs_ms": [round(t, 1) for t in times],
    }


def main() -> int:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="integriteit-bench-advisers-"))
    database_url = f"{args.postgres}/{args.database}"
    env = bench_environment(database_url, workdir)
    info = print_machine(args.postgres)
    print(f"Setting up database {args.database} ...", flush=True)
    recreate_database(args.postgres, args.database)
    try:
        prepare_database(env, for_server=False)
        use_django(env)
        from django.db import connection

        rng = random.Random(20261126)
        first = min(args.first_size, args.entries)
        results = {}
        populate(first, args.year, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        results[str(first)] = measure(args.year, args.runs)
        populate(args.entries - first, args.year, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        results[str(args.entries)] = measure(args.year, args.runs)
        connection.close()
    finally:
        if not args.keep_database:
            recreate_database(args.postgres, args.database, drop_only=True)
        shutil.rmtree(workdir, ignore_errors=True)

    constant = len({r["queries"] for r in results.values()}) == 1
    print(f"\nannual.figures(BZK, {args.year}), 5 years, median of {args.runs} runs:")
    print(f"{'log entries':>12} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'queries':>8}")
    for size, r in results.items():
        print(
            f"{size:>12} {r['median_ms']:>10.1f} {r['min_ms']:>8.1f} {r['max_ms']:>8.1f} "
            f"{r['queries']:>8}"
        )
    print(f"Queries the same at every size: {'yes' if constant else 'NO'}")
    document = {
        "benchmark": "confidential advisers' annual report figures (bench/advisers.py)",
        "date": dt.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": info,
        "database": "PostgreSQL on 127.0.0.1",
        "data": {"organisation": "bzk", "years": 5, "report_year": args.year},
        "runs": args.runs,
        "results": results,
        "queries_constant": constant,
    }
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"advisers-{dt.now():%Y-%m-%d}{args.suffix}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"Written to {out.relative_to(ROOT)}")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
