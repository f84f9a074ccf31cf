#!/usr/bin/env python
"""Profile one reporter submission in-process: SQL queries and CPU per step.

Drives Django's test client through the same five requests as bench/submissions.py, with the
benchmark settings (integriteit.conf.bench: production minus Secure cookies) against PostgreSQL.
It needs a prepared database (`bench/submissions.py --keep-database` leaves one) or sets one up
with --setup. Prints the queries per step and, with --cprofile, the top functions by own time.

    .venv/bin/python bench/profile_submission.py --setup          # once: create integriteit_prof
    .venv/bin/python bench/profile_submission.py -n 200 --cprofile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from harness import (  # noqa: E402
    CSRF_INPUT,
    DESCRIPTION,
    ORGANISATION,
    RECEIPT,
    manage,
    recreate_database,
    tiny_png,
)

WORKDIR = Path(tempfile.gettempdir()) / "integriteit-profile"


def environment(database_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "integriteit.conf.bench",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),  # production settings refuse a weak key
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "INTEGRITEIT_KEY_FILE": str(WORKDIR / "keys.json"),
        "UPLOAD_ROOT": str(WORKDIR / "uploads"),
        "BENCH_STATIC_ROOT": str(WORKDIR / "static"),
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="submissions (default 50)")
    parser.add_argument("--setup", action="store_true", help="(re)create the database first")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", help="profile only this step (get_form, post_form, ...)")
    parser.add_argument("--callees", help="also print what functions matching this call")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one submission")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database", default="integriteit_prof")
    args = parser.parse_args()

    env = environment(f"{args.postgres}/{args.database}")
    if args.setup:
        WORKDIR.mkdir(exist_ok=True)
        full = {**os.environ, **env}
        recreate_database(args.postgres, args.database)
        (WORKDIR / "keys.json").unlink(missing_ok=True)
        for command in (
            ["generate_keys"],
            ["migrate", "--verbosity", "0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
            ["load_demo"],
        ):
            manage(full, *command)
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    attachment = tiny_png()
    client = Client()
    queries: dict[str, list[int]] = defaultdict(list)
    seconds: dict[str, list[float]] = defaultdict(list)
    sql: dict[str, list[str]] = {}

    def step(name, expect, method, *a, **kw):
        active = profiler is not None and args.only in (None, name)
        with CaptureQueriesContext(connection) as captured:
            if active:
                profiler.enable()
            start = time.process_time()
            response = getattr(client, method)(*a, **kw)
            seconds[name].append(time.process_time() - start)
            if active:
                profiler.disable()
        queries[name].append(len(captured))
        sql[name] = [q["sql"] for q in captured.captured_queries]
        assert response.status_code == expect, (name, response.status_code)
        return response

    def one():
        client.cookies.clear()
        form = step("get_form", 200, "get", f"/melden/{ORGANISATION}/")
        token = CSRF_INPUT.search(form.content).group(1).decode()
        from django.core.files.uploadedfile import SimpleUploadedFile

        step(
            "post_form",
            302,
            "post",
            f"/melden/{ORGANISATION}/",
            {
                "csrfmiddlewaretoken": token,
                "kind": "integrity_violation",
                "violation_types": "financial",
                "description": DESCRIPTION,
                "raised_before": "no",
                "relation": "employee",
                "anonymous": "1",
                "attachments": SimpleUploadedFile("factuur.png", attachment, "image/png"),
            },
        )
        check = step("get_check", 200, "get", "/melden/controleren/")
        token = CSRF_INPUT.search(check.content).group(1).decode()
        step("post_submit", 302, "post", "/melden/versturen/", {"csrfmiddlewaretoken": token})
        received = step("get_received", 200, "get", "/melden/ontvangen/")
        assert RECEIPT.search(received.content)

    client = Client(enforce_csrf_checks=True)
    profiler = None
    for _ in range(3):  # warm up: template loader, translations, connection
        one()
    queries.clear(), seconds.clear()
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    for _ in range(args.n):
        one()

    total_q = total_ms = 0.0
    print(f"{'step':<14} {'queries':>7} {'CPU ms (median)':>16}")
    for name in queries:
        q = sorted(queries[name])[len(queries[name]) // 2]
        ms = sorted(seconds[name])[len(seconds[name]) // 2] * 1000
        total_q += q
        total_ms += ms
        print(f"{name:<14} {q:>7} {ms:>16.2f}")
    print(f"{'total':<14} {int(total_q):>7} {total_ms:>16.2f}")
    if args.sql:
        for name, statements in sql.items():
            print(f"\n--- {name}")
            for statement in statements:
                print("  ", re.sub(r"\s+", " ", statement)[:220])
    if profiler:
        stats = pstats.Stats(profiler)
        stats.dump_stats(WORKDIR / "profile.pstats")  # for pstats or snakeviz
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        if args.callees:
            stats.print_callees(args.callees)
    return 0


if __name__ == "__main__":
    sys.exit(main())
