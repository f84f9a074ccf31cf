#!/usr/bin/env python
"""Coordinator dashboard and work queue benchmark: 50,000 cases in PostgreSQL, 8 clients.

Run with `make bench` (or `.venv/bin/python bench/dashboard.py --help`); docs/benchmarks.md
explains what is measured. Like bench/submissions.py (helpers from bench/harness.py) the script sets
up everything itself in a temporary directory and a dedicated database, dropped afterwards:

1. create the database, a key file, migrate, createcachetable, collectstatic, load_demo;
2. fill it with submitted cases for the demo organisations, with realistic phases and dates,
   each with its own data key and sealed content (bulk_create);
3. count the SQL queries per page in-process (Django test client, CaptureQueriesContext) at
   the first size (default 5,000 cases) and again at the full size (default 50,000);
4. start gunicorn (integriteit.conf.bench), log the coordinator in with password and TOTP,
   and let 8 concurrent clients fetch the pages; several runs, p50/p95/p99 per page;
5. stop gunicorn, print the machine and the medians, write bench/results/dashboard-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from harness import (  # bench/ is on sys.path when run as a script
    RESULTS,
    ROOT,
    Server,
    bench_environment,
    cpu_snapshot,
    git_commit,
    log_in,
    percentile,
    prepare_database,
    print_machine,
    recreate_database,
    use_django,
    wait_for_quiet,
)

COORDINATOR = "coordinator"  # demo: integrity coordinator of BZK (accounts/demo.py)
SHARE = {"bzk": 0.8, "fin": 0.2}  # the coordinator sees BZK's cases
TARGET_P95_MS = 150
YEARS = 5


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000, help="cases in the end")
    parser.add_argument(
        "--first-size", type=int, default=5_000, help="query counts also measured at this size"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--requests", type=int, default=400, help="requests per run, spread over the pages"
    )
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="gthread threads per worker")
    parser.add_argument("--quiet-wait", type=float, default=120)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--database", default="integriteit_bench_dashboard")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    parser.add_argument(
        "--suffix", default="", help="results file dashboard-<date><suffix>.json (e.g. -after2)"
    )
    return parser.parse_args()


# --- Data -----------------------------------------------------------------------------------


def phase_for(age_days: float, rng: random.Random) -> str:
    """A plausible phase for a case received `age_days` ago (most old cases are closed)."""
    table: list[tuple[str, float]]
    if age_days < 7:
        table = [("received", 0.5), ("acknowledged", 0.3), ("assessment", 0.2)]
    elif age_days < 30:
        table = [
            ("received", 0.02),
            ("acknowledged", 0.15),
            ("assessment", 0.5),
            ("follow_up_decision", 0.33),
        ]
    elif age_days < 150:
        table = [
            ("assessment", 0.05),
            ("follow_up_decision", 0.1),
            ("investigation", 0.3),
            ("mediation", 0.1),
            ("referral", 0.08),
            ("no_further_action", 0.07),
            ("decision", 0.15),
            ("feedback", 0.15),
        ]
    elif age_days < 240:
        table = [("feedback", 0.1), ("aftercare", 0.3), ("evaluation", 0.25), ("closed", 0.35)]
    else:
        table = [
            ("closed", 0.97),
            ("aftercare", 0.01),
            ("evaluation", 0.01),
            ("investigation", 0.01),
        ]
    pick, total = rng.random(), 0.0
    for phase, share in table:
        total += share
        if pick < total:
            return phase
    return table[-1][0]


def populate(count: int, start: int, rng: random.Random) -> None:
    """`count` more submitted cases (references B-<n>), with aftercare actions and evaluations."""
    from django.utils import timezone

    from integriteit.access.seals import report_seal
    from integriteit.cases.models import AftercareAction, Evaluation
    from integriteit.deadlines.services import add_months
    from integriteit.organisations.models import Organisation, Unit
    from integriteit.reports.models import Report
    from integriteit.reports.sealing import Content, new_sealer, seal_content

    now = timezone.now()
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=SHARE)}
    units = {slug: list(Unit.objects.filter(organisation=o)) for slug, o in organisations.items()}
    slugs, weights = list(SHARE), list(SHARE.values())
    after_feedback = {"aftercare", "evaluation", "closed"}
    reports, actions, evaluations = [], [], []
    for number in range(start, start + count):
        slug = rng.choices(slugs, weights)[0]
        age = rng.random() * 365 * YEARS
        phase = phase_for(age, rng)
        received = now - timedelta(days=age)
        ack_due = received + timedelta(days=7)
        acknowledged = (
            None if phase == "received" else received + timedelta(days=rng.uniform(0.3, 7))
        )
        given = None
        if phase in after_feedback:
            given = min(received + timedelta(days=rng.uniform(60, 140)), now)
        last_feedback = given
        if acknowledged and not given and rng.random() < 0.6:
            last_feedback = acknowledged + (now - acknowledged) * rng.uniform(0.3, 1.0)
        closed = None
        if phase == "closed":
            closed = min(received + timedelta(days=rng.uniform(150, 230)), now)
        report = Report(
            reference=f"B-{number:07d}",
            organisation=organisations[slug],
            unit=rng.choice(units[slug]) if rng.random() < 0.75 else None,
            kind=rng.choice(
                ["integrity_violation", "integrity_violation", "undesirable_behaviour"]
            ),
            channel="online",
            form="written",
            relation="employee",
            is_anonymous=rng.random() < 0.6,
            phase=phase,
            submitted_at=received,
            received_at=received,
            acknowledged_at=acknowledged,
            acknowledgement_due=ack_due,
            feedback_due=add_months(acknowledged or ack_due, 3),
            feedback_given_at=given,
            last_feedback_at=last_feedback,
            closed_at=closed,
            retention_until=add_months(closed, 12 * YEARS) if closed else None,
        )
        # Sealed like a submitted report without exclusions (docs/decisions/0012).
        report.access_seal = report_seal(report.pk, report.organisation_id, ())
        sealer = new_sealer(report)  # each case its own data key, wrapped by the KEK
        seal_content(
            sealer,
            report,
            Content(
                description=f"Benchmarkmelding {number}: declaraties zonder bonnen, "
                "facturen zonder controle van de levering.",
                raised_before="no",
            ),
        )
        reports.append(report)
        if phase == "aftercare":
            for audience in ("reporter", "team"):
                actions.append(
                    AftercareAction(
                        report=report,
                        audience=audience,
                        sealed_description=sealer.seal_text("aftercare", "description", "-"),
                        due_on=timezone.localdate(now) + timedelta(days=rng.randint(-20, 30)),
                    )
                )
        if phase == "evaluation" or (
            phase == "closed" and closed and now - closed < timedelta(365)
        ):
            invited = (given or now) + timedelta(days=rng.uniform(5, 40))
            evaluations.append(
                Evaluation(
                    report=report,
                    invited_at=min(invited, now),
                    answered_at=None if rng.random() < 0.6 else now,
                )
            )
    Report.objects.bulk_create(reports, batch_size=2000)
    AftercareAction.objects.bulk_create(actions, batch_size=2000)
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)


def pages_to_measure() -> dict[str, str]:
    from integriteit.organisations.models import Unit

    unit = Unit.objects.get(organisation__slug="bzk", name="Directie Bedrijfsvoering")
    dg = Unit.objects.get(organisation__slug="bzk", name="DG Overheidsorganisatie")
    return {
        "dashboard": "/behandeling/overzicht/",
        "dashboard_unit": f"/behandeling/overzicht/?unit={dg.pk}",
        "queue_first": "/behandeling/",
        "queue_filtered": f"/behandeling/?phase=investigation&unit={unit.pk}",
        "queue_later": "/behandeling/?page=40",
    }


def count_queries(pages: dict[str, str]) -> dict[str, int]:
    """SQL queries per page, in-process against the same database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integriteit import testing
    from integriteit.accounts.models import User

    client = testing.verified_client(User.objects.get(username=COORDINATOR))
    counts = {}
    for name, url in pages.items():
        client.get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}: {response.status_code} in-process")
        counts[name] = len(captured.captured_queries)
    return counts


def analyze(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --- Load -----------------------------------------------------------------------------------


def run_load(
    base_url: str, cookies: dict, pages: dict[str, str], clients: int, requests: int
) -> dict[str, list[float]]:
    """`clients` threads share `requests` GETs, cycling through the pages."""
    order = [name for _ in range(requests // len(pages) + 1) for name in pages][:requests]
    random.Random(requests).shuffle(order)
    lock = threading.Lock()
    times: dict[str, list[float]] = {name: [] for name in pages}
    failures: list[str] = []
    barrier = threading.Barrier(clients)

    def loop() -> None:
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=60) as client:
            barrier.wait()
            while True:
                with lock:
                    if not order:
                        return
                    name = order.pop()
                start = time.perf_counter()
                response = client.get(pages[name])
                elapsed = time.perf_counter() - start
                with lock:
                    if response.status_code == 200:
                        times[name].append(elapsed)
                    else:
                        failures.append(f"{name}: {response.status_code}")

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"failed requests: {failures[:5]} ({len(failures)} in all)")
    return times


def ms(values: list[float]) -> dict[str, float]:
    values = [v * 1000 for v in values]
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "max": round(max(values), 1),
    }


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="integriteit-bench-dashboard-"))
    database_url = f"{args.postgres}/{args.database}"
    # testserver: the in-process query count uses Django's test client.
    env = bench_environment(database_url, workdir, allowed_hosts="127.0.0.1,testserver")
    info = print_machine(args.postgres)
    print(f"Setting up database {args.database} and {workdir} ...", flush=True)
    recreate_database(args.postgres, args.database)
    server = Server(env, args.workers, args.threads, workdir / "gunicorn.log")
    try:
        prepare_database(env)
        use_django(env)
        from django.db import connection
        from django.db.models import Count

        from integriteit.reports.models import Report

        rng = random.Random(20261125)
        first = min(args.first_size, args.cases)
        start = time.perf_counter()
        populate(first, 0, rng)
        analyze(database_url)
        pages = pages_to_measure()
        queries = {str(first): count_queries(pages)}
        populate(args.cases - first, first, rng)
        analyze(database_url)
        queries[str(args.cases)] = count_queries(pages)
        fill_s = time.perf_counter() - start
        total = Report.objects.count()
        visible = Report.objects.filter(organisation__slug="bzk").count()
        phases = dict(Report.objects.order_by().values_list("phase").annotate(n=Count("pk")))
        connection.close()
        print(
            f"{total} cases ({visible} visible to {COORDINATOR!r}), filled and analysed in "
            f"{fill_s:.0f} s; open: {total - phases.get('closed', 0)}",
            flush=True,
        )
        print(f"{'SQL queries per page':<22}" + "".join(f"{n:>16}" for n in pages))
        for size, counts in queries.items():
            print(f"{size + ' cases':<22}" + "".join(f"{counts[n]:>16}" for n in pages))
        constant = len({tuple(c.values()) for c in queries.values()}) == 1

        server.start()
        cookies = log_in(server.url, COORDINATOR)
        connection.close()
        print(f"gunicorn: {args.workers} workers × {args.threads} threads at {server.url}")
        run_load(server.url, cookies, pages, min(args.clients, 4), args.warmup)
        assert server.process is not None
        server_pid = server.process.pid
        runs = []
        for number in range(1, args.runs + 1):
            background = wait_for_quiet(args.quiet_wait)
            load_before = os.getloadavg()[0]
            before = cpu_snapshot(server_pid)
            wall = time.perf_counter()
            times = run_load(server.url, cookies, pages, args.clients, args.requests)
            wall = time.perf_counter() - wall
            after = cpu_snapshot(server_pid)
            cpu = {key: after[key] - before[key] for key in before}
            run = {
                "run": number,
                "wall_s": round(wall, 2),
                "requests_per_s": round(args.requests / wall, 1),
                "background_busy_before": background,
                "load_average_1min_before": round(load_before, 2),
                # CPU per request: gunicorn (all workers), the load generator, and the whole
                # machine (PostgreSQL and anything else running included).
                "cpu_ms_per_request": {
                    key: round(value * 1000 / args.requests, 1) for key, value in cpu.items()
                },
                "pages": {name: ms(values) for name, values in times.items()},
            }
            runs.append(run)
            print(
                f"run {number}: {run['requests_per_s']} req/s, CPU ms/request "
                f"{run['cpu_ms_per_request']}, load {run['load_average_1min_before']}; "
                + "; ".join(
                    f"{n} p50 {s['p50']:.0f} p95 {s['p95']:.0f} p99 {s['p99']:.0f}"
                    for n, s in run["pages"].items()
                ),
                flush=True,
            )
    finally:
        server.stop()
    log_text = server.log.read_text() if server.log.exists() else ""
    if not args.keep_database:
        recreate_database(args.postgres, args.database, drop_only=True)
    shutil.rmtree(workdir, ignore_errors=True)

    medians = {
        name: {
            p: round(statistics.median(r["pages"][name][p] for r in runs), 1)
            for p in ("p50", "p95", "p99")
        }
        for name in pages
    }
    cpu_medians = {
        key: round(statistics.median(r["cpu_ms_per_request"][key] for r in runs), 1)
        for key in runs[0]["cpu_ms_per_request"]
    }
    met = all(m["p95"] < TARGET_P95_MS for m in medians.values())
    print(f"\nMedians of {args.runs} runs, {args.clients} concurrent clients (ms):")
    print(f"{'page':<16} {'p50':>7} {'p95':>7} {'p99':>7} {'queries':>8}")
    for name, m in medians.items():
        print(
            f"{name:<16} {m['p50']:>7.0f} {m['p95']:>7.0f} {m['p99']:>7.0f} "
            f"{queries[str(args.cases)][name]:>8}"
        )
    print(f"CPU per request (ms, median of runs): {cpu_medians}")
    print(
        f"Target p95 < {TARGET_P95_MS} ms per page: {'met' if met else 'NOT met'}; "
        f"queries per page the same at {first} and {args.cases} cases: "
        f"{'yes' if constant else 'NO'}"
    )
    if log_text.strip():
        print(f"gunicorn error log (last lines):\n{log_text[-2000:]}")

    document = {
        "benchmark": "coordinator dashboard and work queue (bench/dashboard.py)",
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": info,
        "server": {
            "command": "gunicorn integriteit.wsgi -c src/integriteit/conf/gunicorn.py "
            "--worker-class gthread "
            f"--workers {args.workers} --threads {args.threads} (no access log)",
            "settings": "integriteit.conf.bench",
            "database": "PostgreSQL on 127.0.0.1, CONN_MAX_AGE 60",
        },
        "data": {
            "cases": total,
            "visible_to_coordinator": visible,
            "phases": phases,
            "organisations": SHARE,
            "years": YEARS,
        },
        "load": {
            "clients": args.clients,
            "requests_per_run": args.requests,
            "runs": args.runs,
            "warmup_requests": args.warmup,
            "pages": pages,
        },
        "queries_per_page": queries,
        "queries_constant": constant,
        "target": {"p95_ms": TARGET_P95_MS, "met": met},
        "medians_ms": medians,
        "cpu_ms_per_request_median": cpu_medians,
        "runs": runs,
    }
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"dashboard-{datetime.now():%Y-%m-%d}{args.suffix}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"Written to {out.relative_to(ROOT)}")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
