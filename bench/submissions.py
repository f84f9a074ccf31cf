#!/usr/bin/env python
"""Submission benchmark: anonymous reports with one attachment against gunicorn + PostgreSQL.

Run with `make bench` (or `.venv/bin/python bench/submissions.py --help`); docs/benchmarks.md
explains what is measured and how to read the figures. The script sets up everything itself
in a temporary directory and a dedicated PostgreSQL database, which it drops afterwards:

1. create the database, a key file, migrate, createcachetable, collectstatic, load_demo;
2. time the receipt-code hash (argon2id, production parameters) to find the bound of the machine;
3. start gunicorn (production settings minus Secure cookies: integriteit.conf.bench; no access
   log, so no client address is ever written) and wait for /healthz;
4. for every level of concurrent clients, several runs of a fixed number of submissions, each
   the reporter's real path with its own cookie jar;
5. stop gunicorn, count the reports in the database and fail when one is lost or duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from harness import (  # bench/ is on sys.path when run as a script
    PYTHON,
    RESULTS,
    ROOT,
    Browser,
    PathFailed,
    Server,
    bench_environment,
    cpu_snapshot,
    git_commit,
    percentile,
    prepare_database,
    print_machine,
    recreate_database,
    reporter_path,
    summary_ms,
    tiny_png,
    use_django,
    wait_for_quiet,
)

STEPS = ("get_form", "post_form", "get_check", "post_submit", "get_received")


def parse_levels(text: str) -> list[tuple[int, int]]:
    """'1:20,8:80,32:192' → [(clients, submissions per run), ...]."""
    levels = []
    for part in text.split(","):
        clients, _, count = part.partition(":")
        levels.append((int(clients), int(count or int(clients) * 6)))
    return levels


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        default="1:20,8:80,32:192",
        help="clients:submissions per run, comma-separated (default %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per level (default 3)")
    parser.add_argument("--warmup", type=int, default=16, help="unmeasured submissions first")
    # One worker per core, a thread for each of the 32 clients: connections share two pools
    # (fair, so a tight p99); argon2 releases the GIL, so hashing overlaps Python work.
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--threads", type=int, default=16, help="gthread threads per worker (default 16)"
    )
    parser.add_argument("--hash-samples", type=int, default=20)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120,
        help="before each run wait up to this many seconds for other load to stop (default 120)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (without database name)",
    )
    parser.add_argument("--database", default="integriteit_bench")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    return parser.parse_args()


# --- Measurements ---------------------------------------------------------------------------


@dataclass
class Outcome:
    ok: bool
    total: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    code: str = ""
    error: str = ""


def submit_one(client: Browser, attachment: bytes) -> Outcome:
    """One anonymous report along the reporter's real path (harness.reporter_path): a new
    visitor, so a new connection (kept alive for the five requests, as a browser does) and an
    empty cookie jar. A failed step fails the submission; nothing is sent again."""
    client.close()
    client.cookies.clear()
    steps: dict[str, float] = {}

    def timed(step, method, url, expect, body, content_type) -> bytes:
        start = time.perf_counter()
        status, location, content = client.request(method, url, body, content_type)
        steps[step] = time.perf_counter() - start
        if status != expect[0] or (len(expect) > 1 and location != expect[1]):
            raise PathFailed(step, status, location)
        return content

    start = time.perf_counter()
    try:
        code = reporter_path(timed, attachment)
    except (PathFailed, OSError, http.client.HTTPException) as error:
        return Outcome(ok=False, error=str(error) or type(error).__name__)
    return Outcome(ok=True, total=time.perf_counter() - start, steps=steps, code=code)


def run_level(base_url: str, clients: int, submissions: int, attachment: bytes) -> list[Outcome]:
    """`clients` threads, each a Browser with its own connection and cookie jar, share
    `submissions` submissions (closed loop: a client starts its next report when one is done)."""
    url = urlsplit(base_url)
    remaining = [submissions]
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    barrier = threading.Barrier(clients)

    def client_loop() -> None:
        client = Browser(url.hostname or "127.0.0.1", url.port or 80)
        try:
            barrier.wait()
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                outcome = submit_one(client, attachment)
                with lock:
                    outcomes.append(outcome)
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def measure_run(
    base_url: str, clients: int, submissions: int, attachment: bytes, server_pid: int
) -> dict:
    before, wall_start = cpu_snapshot(server_pid), time.perf_counter()
    outcomes = run_level(base_url, clients, submissions, attachment)
    wall = time.perf_counter() - wall_start
    after = cpu_snapshot(server_pid)
    cpu = {key: after[key] - before[key] for key in before}
    good = [o for o in outcomes if o.ok]
    errors: dict[str, int] = {}
    for outcome in outcomes:
        if not outcome.ok:
            errors[outcome.error] = errors.get(outcome.error, 0) + 1
    return {
        "clients": clients,
        "submissions": submissions,
        "ok": len(good),
        "failed": len(outcomes) - len(good),
        "errors": errors,
        "wall_s": round(wall, 3),
        "reports_per_s": round(len(good) / wall, 2),
        "latency_ms": summary_ms([o.total for o in good]),
        "submit_post_ms": summary_ms([o.steps["post_submit"] for o in good]),
        "step_p50_ms": {
            step: round(percentile([o.steps[step] * 1000 for o in good], 50), 1) for step in STEPS
        },
        # Where the CPU went: this load generator, gunicorn, and everything else on the machine
        # (mostly PostgreSQL and the kernel). Per submission, in milliseconds.
        "cpu_ms_per_report": {
            "client": round(cpu["client"] * 1000 / max(len(good), 1), 1),
            "gunicorn": round(cpu["server"] * 1000 / max(len(good), 1), 1),
            "other": round(
                (cpu["machine"] - cpu["client"] - cpu["server"]) * 1000 / max(len(good), 1), 1
            ),
        },
        "machine_busy": round(cpu["machine"] / (wall * len(os.sched_getaffinity(0))), 2),
        "_codes": [o.code for o in good],
    }


def median_of(runs: list[dict], *path: str) -> float:
    values = []
    for run in runs:
        value = run
        for key in path:
            value = value[key]
        values.append(value)
    return round(statistics.median(values), 2)


def level_summary(runs: list[dict]) -> dict:
    return {
        "clients": runs[0]["clients"],
        "submissions_per_run": runs[0]["submissions"],
        "runs": len(runs),
        "failed": sum(r["failed"] for r in runs),
        "reports_per_s": median_of(runs, "reports_per_s"),
        "latency_ms": {p: median_of(runs, "latency_ms", p) for p in ("p50", "p95", "p99")},
        "submit_post_ms": {p: median_of(runs, "submit_post_ms", p) for p in ("p50", "p95", "p99")},
        "step_p50_ms": {step: median_of(runs, "step_p50_ms", step) for step in STEPS},
        "cpu_ms_per_report": {
            part: median_of(runs, "cpu_ms_per_report", part)
            for part in ("client", "gunicorn", "other")
        },
        "machine_busy": median_of(runs, "machine_busy"),
    }


# --- Environment ----------------------------------------------------------------------------


def time_receipt_hash(env: dict, samples: int) -> dict:
    """Median time of `receipts.hash_code` with the settings the server uses."""
    use_django(env)
    from django.conf import settings

    from integriteit.reports import receipts

    receipts.hash_code(receipts.code_for(receipts.new_submission_token()))  # warm up
    times = []
    for _ in range(samples):
        code = receipts.code_for(receipts.new_submission_token())
        start = time.perf_counter()
        receipts.hash_code(code)
        times.append(time.perf_counter() - start)
    return {
        "memory_kib": settings.RECEIPT_ARGON2_MEMORY_KIB,
        "time_cost": settings.RECEIPT_ARGON2_TIME_COST,
        "samples": samples,
        "median_ms": round(statistics.median(times) * 1000, 2),
    }


def count_in_database(database_url: str) -> dict:
    with psycopg.connect(database_url) as conn:

        def one(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        return {
            "submitted": one("SELECT count(*) FROM reports_report WHERE submitted_at IS NOT NULL"),
            "drafts": one("SELECT count(*) FROM reports_report WHERE submitted_at IS NULL"),
            "distinct_receipt_hashes": one(
                "SELECT count(DISTINCT receipt_lookup) FROM reports_report "
                "WHERE submitted_at IS NOT NULL"
            ),
            "attachments": one("SELECT count(*) FROM reports_attachment"),
            "audit_submitted": one(
                "SELECT count(*) FROM audit_auditentry WHERE action = 'report.submitted'"
            ),
        }


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    levels = parse_levels(args.levels)
    workdir = Path(tempfile.mkdtemp(prefix="integriteit-bench-"))
    database_url = f"{args.postgres}/{args.database}"
    env = bench_environment(database_url, workdir, allowed_hosts="127.0.0.1")
    info = print_machine(args.postgres)

    print(f"Setting up database {args.database} and {workdir} ...", flush=True)
    recreate_database(args.postgres, args.database)
    prepare_database(env)

    wait_for_quiet(args.quiet_wait)
    receipt_hash = time_receipt_hash(env, args.hash_samples)
    bound = info["cores"] / (receipt_hash["median_ms"] / 1000)
    print(
        f"Receipt hash (argon2id {receipt_hash['memory_kib']} KiB, t={receipt_hash['time_cost']}):"
        f" median {receipt_hash['median_ms']} ms → bound {bound:.1f} reports/s on "
        f"{info['cores']} cores",
        flush=True,
    )

    attachment = tiny_png()
    server = Server(env, args.workers, args.threads, workdir / "gunicorn.log")
    results: list[dict] = []
    codes: list[str] = []
    warmup_ok = 0
    try:
        server.start()
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads (gthread) at {server.url}"
        )
        if args.warmup:
            warm = run_level(server.url, min(4, args.warmup), args.warmup, attachment)
            warmup_ok = sum(o.ok for o in warm)
            codes += [o.code for o in warm if o.ok]
            print(f"Warm-up: {warmup_ok}/{args.warmup} submissions", flush=True)
        print(
            f"{'clients':>7} {'run':>3} {'ok':>4} {'fail':>4} {'rep/s':>6} "
            f"{'p50':>7} {'p95':>7} {'p99':>7} {'submit p50':>10} {'p99':>7}  (ms)"
        )
        for clients, submissions in levels:
            runs = []
            for number in range(1, args.runs + 1):
                background = wait_for_quiet(args.quiet_wait)
                run = measure_run(server.url, clients, submissions, attachment, server.pid)
                run["background_busy_before"] = background
                codes += run.pop("_codes")
                runs.append(run)
                lat, sub = run["latency_ms"], run["submit_post_ms"]
                print(
                    f"{clients:>7} {number:>3} {run['ok']:>4} {run['failed']:>4} "
                    f"{run['reports_per_s']:>6.1f} {lat['p50']:>7.0f} {lat['p95']:>7.0f} "
                    f"{lat['p99']:>7.0f} {sub['p50']:>10.0f} {sub['p99']:>7.0f}",
                    flush=True,
                )
                print(
                    f"{'':>11} CPU per report (ms): {run['cpu_ms_per_report']}, "
                    f"machine busy {run['machine_busy']:.0%} (other load before: "
                    f"{background:.0%}); step p50 (ms): {run['step_p50_ms']}"
                )
                if run["errors"]:
                    print(f"        errors: {run['errors']}")
            results.append({"summary": level_summary(runs), "runs": runs})
    finally:
        server.stop()
    log_text = server.log.read_text() if server.log.exists() else ""

    print("\nMedians across runs:")
    print(f"{'clients':>7} {'rep/s':>6} {'p50':>7} {'p95':>7} {'p99':>7}  submit: p50 p95 p99 (ms)")
    for level in results:
        s = level["summary"]
        lat, sub = s["latency_ms"], s["submit_post_ms"]
        print(
            f"{s['clients']:>7} {s['reports_per_s']:>6.1f} {lat['p50']:>7.0f} {lat['p95']:>7.0f} "
            f"{lat['p99']:>7.0f}  {sub['p50']:.0f} {sub['p95']:.0f} {sub['p99']:.0f}"
        )
    top = max(results, key=lambda level: level["summary"]["clients"])["summary"]
    fraction = top["reports_per_s"] / bound
    targets = {
        "clients": top["clients"],
        "bound_reports_per_s": round(bound, 1),
        "achieved_reports_per_s": top["reports_per_s"],
        "fraction_of_bound": round(fraction, 3),
        "fraction_target": 0.70,
        "fraction_met": fraction >= 0.70,
        "p99_ms": top["latency_ms"]["p99"],
        "p99_target_ms": 1000,
        "p99_met": top["latency_ms"]["p99"] < 1000,
    }
    print(
        f"\nBound: {info['cores']} cores ÷ {receipt_hash['median_ms']} ms = {bound:.1f} reports/s;"
        f" at {top['clients']} clients {top['reports_per_s']:.1f} reports/s = {fraction:.0%} "
        f"(target ≥ 70%: {'met' if targets['fraction_met'] else 'NOT met'}); p99 "
        f"{top['latency_ms']['p99']:.0f} ms (target < 1000 ms: "
        f"{'met' if targets['p99_met'] else 'NOT met'})"
    )

    # Every receipt code a client received must be exactly one submitted report, and no more.
    counts = count_in_database(database_url)
    verify = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "verify_audit_chain"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    successful = len(codes)
    integrity = {
        "successful_submissions": successful,
        "distinct_receipt_codes": len(set(codes)),
        **counts,
        "audit_chain": (verify.stdout + verify.stderr).strip(),
    }
    integrity["ok"] = (
        counts["submitted"] == successful
        and counts["audit_submitted"] == successful
        and counts["distinct_receipt_hashes"] == successful
        and len(set(codes)) == successful
        and verify.returncode == 0
    )
    print(
        f"Database: {counts['submitted']} submitted reports (+{counts['drafts']} drafts), "
        f"{counts['audit_submitted']} audit entries, for {successful} successful submissions "
        f"(warm-up included) → {'no report lost or duplicated' if integrity['ok'] else 'MISMATCH'}"
    )
    print(integrity["audit_chain"])
    if log_text.strip():
        print(f"gunicorn error log (last lines):\n{log_text[-2000:]}")

    if not args.keep_database:
        recreate_database(args.postgres, args.database, drop_only=True)
    shutil.rmtree(workdir, ignore_errors=True)  # keys, ciphertext, static files

    document = {
        "benchmark": "anonymous report submissions with one attachment (bench/submissions.py)",
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": info,
        "server": {
            "command": "gunicorn integriteit.wsgi -c src/integriteit/conf/gunicorn.py "
            "--worker-class gthread "
            f"--workers {args.workers} --threads {args.threads} (no access log)",
            "settings": "integriteit.conf.bench (production without Secure cookies/SSL redirect)",
            "database": "PostgreSQL on 127.0.0.1, CONN_MAX_AGE 60",
        },
        "load": {
            "path": "GET form, POST form + PNG, GET check, POST submit, GET received",
            "attachment_bytes": len(attachment),
            "warmup_submissions": args.warmup,
            "levels": [{"clients": c, "submissions_per_run": n} for c, n in levels],
            "runs_per_level": args.runs,
        },
        "receipt_hash": receipt_hash,
        "targets": targets,
        "levels": results,
        "integrity": integrity,
    }
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"submissions-{datetime.now():%Y-%m-%d}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"Written to {out.relative_to(ROOT)}")
    return 0 if integrity["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
