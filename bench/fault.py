#!/usr/bin/env python
"""Load and fault: reporters submit while PostgreSQL is restarted, staff work and replies go on.

WARNING: by default this script RESTARTS THE MACHINE'S POSTGRESQL CLUSTER once (pg_ctlcluster
... restart, the cluster that serves --postgres). Everything else using that cluster, other
test runs included, loses its connections for a few seconds. `--fault block` cuts off only the
benchmark's own database instead (its connections terminated, new ones refused for a while);
`--fault none` is the load alone.

Run with `make bench BENCH_ONLY=fault` (or `.venv/bin/python bench/fault.py --help`);
docs/benchmarks.md explains what is measured. Like bench/submissions.py the script sets up
everything itself (bench/harness.py) in a temporary directory and its own database, dropped
afterwards:

1. create the database, a key file, migrate, createcachetable, collectstatic, load_demo;
2. start gunicorn (integriteit.conf.bench, no access log; the application's own log goes to the
   error log so that server errors can be traced to their causes);
3. a few "hot" reports through the real path; the BZK coordinator logs in (password and TOTP);
4. for --duration seconds: --reporters reporters submit reports along the real path, each with
   her own cookie jar, and do what the outage page tells them (press Send again after a while);
   --staff threads read the hot cases, send messages on them and acknowledge new cases from the
   work queue; --repliers reporters open the hot cases' mailboxes and reply. At --restart-at
   seconds PostgreSQL is restarted (or the database blocked, --fault block);
5. stop gunicorn and check in-process, with the keys: every code a reporter was shown opens her
   own report; no report lost, duplicated or half-written; every stored report's code was shown
   to its reporter; replies and staff messages confirmed were stored; the audit chain verifies.

Prints the figures and writes them to bench/results/fault-<date>.json; exits 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import psycopg
from harness import (  # bench/ is on sys.path when run as a script
    DESCRIPTION,
    PYTHON,
    RESULTS,
    ROOT,
    Browser,
    PathFailed,
    Server,
    bench_environment,
    csrf_token,
    git_commit,
    log_in,
    prepare_database,
    print_machine,
    recreate_database,
    reporter_path,
    tiny_png,
    use_django,
)

COORDINATOR = "coordinator"  # demo: integrity coordinator of BZK, who sees the reports made here
OUTAGE_MARKER = b'id="outage-advice"'  # the 503 page of ui.views.outage_response
ATTEMPT = re.compile(r"\[attempt ([0-9a-f]{32})\]")
CASE_LINK = re.compile(rb'href="/behandeling/([0-9a-f-]{36})/"')
NO_ANSWER = (OSError, http.client.HTTPException)
FORM = "application/x-www-form-urlencoded"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="By default it restarts the shared PostgreSQL cluster once (see "
        "--restart-command): other test runs on that cluster fail for a few seconds. "
        "--fault block touches only the benchmark's database; --fault none is load only.",
    )
    parser.add_argument("--reporters", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument(
        "--restart-at", type=float, help="seconds into the load (default: half of --duration)"
    )
    parser.add_argument("--staff", type=int, default=2, help="staff threads on the hot cases")
    parser.add_argument("--repliers", type=int, default=2, help="reporters replying in mailboxes")
    parser.add_argument("--hot-cases", type=int, default=4)
    parser.add_argument(
        "--retry-wait",
        type=float,
        default=2,
        help="seconds a reporter waits before pressing again after an error page (the page "
        "says 'a few minutes'; compressed here)",
    )
    parser.add_argument(
        "--give-up",
        type=float,
        default=120,
        help="seconds after the load ends that a reporter still keeps trying",
    )
    parser.add_argument(
        "--window-grace",
        type=float,
        default=2,
        help="seconds after /healthz answers again that still count as the restart window",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--restart-command",
        help="default: pg_ctlcluster for the cluster on the --postgres port (pg_lsclusters)",
    )
    parser.add_argument(
        "--fault",
        choices=("restart", "block", "none"),
        default="restart",
        help="restart: the PostgreSQL cluster (default); block: only this benchmark's database, "
        "its connections terminated and new ones refused for --block-seconds; none",
    )
    parser.add_argument("--block-seconds", type=float, default=8)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (without database name)",
    )
    parser.add_argument("--database", default="integriteit_bench_fault")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--log", type=Path, help="copy the server's error log (tracebacks, no addresses) here"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    return parser.parse_args()


def restart_command(postgres_url: str) -> list[str]:
    """pg_ctlcluster restart for the cluster listening on the server's port; without systemd
    (containers, CI) the redirect to systemctl is skipped, as .ci/run does."""
    port = str(urlsplit(postgres_url).port or 5432)
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if cluster_port == port:
            skip = [] if Path("/run/systemd/system").exists() else ["--skip-systemctl-redirect"]
            return ["pg_ctlcluster", *skip, version, name, "restart"]
    sys.exit(f"no PostgreSQL cluster on port {port} (pg_lsclusters); give --restart-command")


# --- What the clients see -------------------------------------------------------------------


@dataclass
class Seen:
    at: float  # time.time()
    who: str  # reporter, replier, staff
    step: str
    kind: str  # ok, outage_page, bare_error, no_answer, unexpected
    status: int = 0
    detail: str = ""  # for no_answer: what the connection did


class Record:
    """Every answer every client got, and what the clients confirmed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[Seen] = []
        self.confirmed: dict[str, str] = {}  # attempt → receipt code shown to the reporter
        self.failed: dict[str, str] = {}  # attempt → why the reporter gave up
        self.replies: list[str] = []  # reply markers the reporter saw arrive
        self.staff_messages: list[str] = []  # staff message markers answered with success

    def saw(self, who: str, step: str, kind: str, status: int = 0, detail: str = "") -> None:
        with self.lock:
            self.seen.append(Seen(time.time(), who, step, kind, status, detail))


def classify(status: int, location: str, body: bytes, expect: tuple) -> str:
    if status >= 500:
        return "outage_page" if status == 503 and OUTAGE_MARKER in body else "bare_error"
    if status == expect[0] and (len(expect) == 1 or location == expect[1]):
        return "ok"
    return "unexpected"


def _bare_detail(kind: str, body: bytes) -> str:
    """For an error page without the outage advice: its title, to tell what answered."""
    if kind != "bare_error":
        return ""
    title = re.search(rb"<title>(.*?)</title>", body, re.S)
    return (title.group(1) if title else body[:80]).decode(errors="replace").strip()


def ask(
    client: Browser,
    record: Record,
    who: str,
    step: str,
    method: str,
    path: str,
    expect: tuple,
    body: bytes | None = None,
    content_type: str = "",
) -> tuple[str, int, str, bytes]:
    """One request, recorded with what it got: (kind, status, Location, body)."""
    try:
        status, location, content = client.request(method, path, body, content_type)
    except NO_ANSWER as error:
        record.saw(who, step, "no_answer", detail=repr(error))
        return "no_answer", 0, "", b""
    kind = classify(status, location, content, expect)
    record.saw(who, step, kind, status, _bare_detail(kind, content))
    return kind, status, location, content


def patient_send(client: Browser, record: Record, who: str, wait: float, give_up_at: float):
    """A send for harness.reporter_path that does what the error page tells a reporter: wait,
    then press again (the same request: Send again, reload). A bare error or no answer gets
    the same patience; anything else ends the attempt."""

    def send(step, method, path, expect, body, content_type) -> bytes:
        while True:
            kind, status, location, content = ask(
                client, record, who, step, method, path, expect, body, content_type
            )
            if kind == "ok":
                return content
            if kind == "unexpected" or time.time() > give_up_at:
                raise PathFailed(step, status, location)
            time.sleep(wait)
            # Coming back after a while, a browser opens a new connection: the server has long
            # closed the kept-alive one (gunicorn's keep-alive is 2 s).
            client.close()

    return send


# --- The clients ----------------------------------------------------------------------------


@dataclass
class Load:
    host: str
    port: int
    end_at: float
    give_up_at: float
    wait: float
    attachment: bytes
    record: Record
    hot: list[dict] = field(default_factory=list)  # {"id", "code"} of the hot reports
    staff_cookies: dict[str, str] = field(default_factory=dict)


def reporter(load: Load) -> None:
    """Reports one after another until the load ends, each as a new visitor."""
    client = Browser(load.host, load.port)
    try:
        while time.time() < load.end_at:
            attempt = uuid.uuid4().hex
            client.close()
            client.cookies.clear()
            send = patient_send(client, load.record, "reporter", load.wait, load.give_up_at)
            try:
                code = reporter_path(send, load.attachment, f"{DESCRIPTION} [attempt {attempt}]")
            except PathFailed as failure:
                with load.record.lock:
                    load.record.failed[attempt] = str(failure)
            else:
                with load.record.lock:
                    load.record.confirmed[attempt] = code
    finally:
        client.close()


def replier(load: Load, number: int) -> None:
    """A reporter who opens a hot case's mailbox and replies. After an error page she looks in
    her mailbox whether the reply is there before sending it again, as the page says."""
    client = Browser(load.host, load.port)
    rng = random.Random(number)
    try:
        while time.time() < load.end_at:
            case = rng.choice(load.hot)
            client.close()
            client.cookies.clear()
            send = patient_send(client, load.record, "replier", load.wait, load.end_at)
            marker = f"[reply {uuid.uuid4().hex}]"
            try:
                login = send("get_login", "GET", "/postbus/", (200,), None, "")
                fields = {
                    "csrfmiddlewaretoken": csrf_token(login, "get_login"),
                    "code": case["code"],
                }
                form = urlencode(fields).encode()
                inbox = (302, "/postbus/berichten/")
                send("post_login", "POST", "/postbus/", inbox, form, FORM)
                page = send("get_mailbox", "GET", "/postbus/berichten/", (200,), None, "")
                reply = urlencode(
                    {"csrfmiddlewaretoken": csrf_token(page, "get_mailbox"), "text": marker}
                ).encode()
                if _post_once(client, load, "post_reply", "/postbus/berichten/", reply, marker):
                    with load.record.lock:
                        load.record.replies.append(marker)
            except PathFailed:
                time.sleep(load.wait)
    finally:
        client.close()


def _post_once(client: Browser, load: Load, step: str, path: str, body: bytes, marker: str) -> bool:
    """POST a reply; on an error page, wait and look in the mailbox before sending it again.
    True when the reply is confirmed (redirect, or seen in the mailbox)."""
    inbox = (302, "/postbus/berichten/")
    while time.time() < load.end_at:
        kind, *_ = ask(client, load.record, "replier", step, "POST", path, inbox, body, FORM)
        if kind in ("ok", "unexpected"):
            return kind == "ok"
        time.sleep(load.wait)
        client.close()  # a new connection after a while, as a browser opens
        kind, _status, _location, page = ask(
            client, load.record, "replier", "check_mailbox", "GET", path, (200,)
        )
        if kind == "ok" and marker.encode() in page:
            return True
        if kind == "unexpected":
            return False
    return False


def staff(load: Load, number: int) -> None:
    """A case handler on the hot cases (read, message) and on new ones (acknowledge)."""
    client = Browser(load.host, load.port)
    client.cookies.update(load.staff_cookies)
    rng = random.Random(1000 + number)
    turn = 0
    try:
        while time.time() < load.end_at:
            turn += 1
            try:
                if turn % 2:
                    case_id = rng.choice(load.hot)["id"]
                    marker = f"[staff {uuid.uuid4().hex}]"
                    if _staff_post(client, load, case_id, "bericht", "post_message", marker):
                        with load.record.lock:
                            load.record.staff_messages.append(marker)
                else:
                    queue = _staff_get(client, load, "get_queue", "/behandeling/")
                    cases = [m.decode() for m in CASE_LINK.findall(queue)]
                    if cases:
                        text = "Uw melding is ontvangen."
                        _staff_post(client, load, rng.choice(cases), "ontvangst", "post_ack", text)
            except PathFailed:
                time.sleep(load.wait)
                client.close()
    finally:
        client.close()


def _staff_get(client: Browser, load: Load, step: str, path: str) -> bytes:
    kind, status, location, content = ask(client, load.record, "staff", step, "GET", path, (200,))
    if kind != "ok":
        raise PathFailed(step, status, location)
    return content


def _staff_post(client: Browser, load: Load, case_id: str, action: str, step: str, text: str):
    """Read the case (an audited read), then post a form on it; True when answered with the
    redirect back to the case (success or a refusal shown there)."""
    case = f"/behandeling/{case_id}/"
    detail = _staff_get(client, load, "get_case", case)
    body = urlencode({"csrfmiddlewaretoken": csrf_token(detail, "get_case"), "text": text})
    kind, *_ = ask(
        client,
        load.record,
        "staff",
        step,
        "POST",
        f"{case}{action}/",
        (302, case),
        body.encode(),
        FORM,
    )
    return kind == "ok"


# --- The restart ----------------------------------------------------------------------------


def block_database(postgres_url: str, name: str, seconds: float) -> tuple[int, str]:
    """The fault of a restart for one database only: its connections terminated, new ones
    refused for `seconds`, then allowed again."""
    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
            time.sleep(seconds)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    return 0, f"{ended} connections terminated, new ones refused for {seconds:.0f} s"


@dataclass
class Restart:
    description: str
    action: Callable[[], tuple[int, str]]  # → (return code, output)
    begin: float = 0.0
    command_end: float = 0.0
    healthy_again: float = 0.0
    output: str = ""
    returncode: int | None = None


def run_command(command: list[str]) -> tuple[int, str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    return result.returncode, result.stdout + result.stderr


def inject_fault(restart: Restart, at: float, base_url: str) -> None:
    time.sleep(max(0.0, at - time.time()))
    print(f"Fault: {restart.description}", flush=True)
    restart.begin = time.time()
    restart.returncode, restart.output = restart.action()
    restart.command_end = time.time()
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                restart.healthy_again = time.time()
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)


# --- After the load: what was stored --------------------------------------------------------


def hot_reports(load: Load, count: int) -> None:
    """The cases staff and repliers work on: reported through the real path, before the load."""
    from integriteit.reports import receipts
    from integriteit.reports.models import Report

    client = Browser(load.host, load.port)
    strict = patient_send(client, load.record, "setup", 1, time.time() + 60)
    for _ in range(count):
        client.close()
        client.cookies.clear()
        code = reporter_path(strict, load.attachment, f"{DESCRIPTION} [hot case]")
        found = Report.objects.get(receipt_lookup=receipts.lookup_key(receipts.normalise(code)))
        load.hot.append({"id": str(found.pk), "code": code})
    client.close()


def check_stored(record: Record, hot_ids: set[str]) -> dict:
    """Everything the clients were told, against what the database holds (read in-process
    with the keys: contents are sealed)."""
    from django.db import connection

    from integriteit.audit.models import AuditEntry
    from integriteit.reports import receipts
    from integriteit.reports.constants import Sender
    from integriteit.reports.models import Message, Report
    from integriteit.reports.sealing import (
        attachment_path,
        open_content,
        open_message_body,
        sealer_for,
    )

    connection.close()  # the restart broke this process's connection too
    submitted = {
        str(r.pk): r
        for r in Report.objects.submitted().exclude(pk__in=hot_ids).prefetch_related("attachments")
    }
    audited = Counter(
        AuditEntry.objects.filter(action="report.submitted").values_list("object_id", flat=True)
    )
    by_attempt: dict[str, list[str]] = {}
    half_written = []
    for pk, report in submitted.items():
        sealer = sealer_for(report)
        found = ATTEMPT.search(open_content(report, sealer).description)
        by_attempt.setdefault(found.group(1) if found else "?", []).append(pk)
        files = list(report.attachments.all())
        complete = (
            audited[pk] == 1
            and report.receipt_lookup
            and report.receipt_hash
            and report.acknowledgement_due
            and report.feedback_due
            and len(files) == 1
            and all(attachment_path(f).exists() for f in files)
        )
        if not complete:
            half_written.append(pk)

    opens, lost = 0, []
    for attempt, code in record.confirmed.items():
        normalised = receipts.normalise(code) or ""
        match = Report.objects.submitted().filter(receipt_lookup=receipts.lookup_key(normalised))
        report = match.first()
        if (
            report is not None
            and receipts.verify(report.receipt_hash, normalised)
            and str(report.pk) in by_attempt.get(attempt, [])
        ):
            opens += 1
        else:
            lost.append(attempt)

    bodies: Counter[str] = Counter()
    for message in Message.objects.filter(report_id__in=hot_ids).select_related("report"):
        bodies[open_message_body(message, sealer_for(message.report)).strip()] += 1
    reporter_bodies = Counter(
        open_message_body(m, sealer_for(m.report)).strip()
        for m in Message.objects.filter(report_id__in=hot_ids, sender=Sender.REPORTER)
    )
    return {
        "confirmed_to_client": len(record.confirmed),
        "stored": len(submitted),
        "codes_that_open_a_mailbox": opens,
        "lost": len(lost),
        "duplicated": sum(len(pks) - 1 for pks in by_attempt.values() if len(pks) > 1),
        "half_written": len(half_written),
        "stored_code_never_shown": sum(
            len(pks) for attempt, pks in by_attempt.items() if attempt not in record.confirmed
        ),
        "attempts_given_up": len(record.failed),
        "given_up_reasons": dict(Counter(record.failed.values()).most_common(10)),
        "drafts_left": Report.objects.drafts().count(),
        "replies": {
            "confirmed": len(record.replies),
            "stored": sum(1 for m in record.replies if reporter_bodies[m]),
            "lost": sum(1 for m in record.replies if not reporter_bodies[m]),
            "stored_twice": sum(1 for m in record.replies if reporter_bodies[m] > 1),
        },
        "staff_messages": {
            "confirmed": len(record.staff_messages),
            "lost": sum(1 for m in record.staff_messages if not bodies[m]),
        },
    }


def answers(record: Record, window: tuple[float, float]) -> dict:
    """Counts of what clients saw, by client, inside and outside the restart window."""
    table: dict[str, dict[str, Counter]] = {}
    for seen in record.seen:
        if seen.who == "setup":
            continue
        where = "inside_window" if window[0] <= seen.at <= window[1] else "outside_window"
        table.setdefault(seen.who, {}).setdefault(where, Counter())[seen.kind] += 1
    found = {
        who: {where: dict(counts) for where, counts in sorted(places.items())}
        for who, places in sorted(table.items())
    }
    details = Counter(
        f"{s.who} {s.step} {s.kind} {s.status}: {s.detail}" for s in record.seen if s.detail
    )
    found["details"] = dict(details.most_common(10))
    return found


LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) ERROR django\.request", re.M)
CAUSES = {  # the first that matches names the cause
    "deadlock": "deadlock detected",
    "serialization": "could not serialize access",
    "terminated": "terminating connection due to administrator command",
    "connection_closed": "server closed the connection unexpectedly",
    "connection_refused": "Connection refused",
    "shutting_down": "the database system is shutting down",
    "starting_up": "the database system is starting up",
    "connection_lost": "connection is lost",
    "connection_closed_already": "connection already closed",
    "not_accepting": "is not currently accepting connections",  # --fault block
    "connection_failed": "connection failed",
}


def server_errors(log_text: str, window: tuple[float, float]) -> dict:
    """The application's own error log: each request that ended in an error, by cause, inside
    and outside the restart window (the log's local timestamps against the window)."""
    entries = list(LOG_TIME.finditer(log_text))
    found: dict[str, Counter] = {"inside_window": Counter(), "outside_window": Counter()}
    others: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        end = entries[index + 1].start() if index + 1 < len(entries) else len(log_text)
        text = log_text[entry.start() : end]
        at = time.mktime(time.strptime(entry.group(1), "%Y-%m-%d %H:%M:%S"))
        at += int(entry.group(2)) / 1000
        where = "inside_window" if window[0] <= at <= window[1] else "outside_window"
        cause = next((name for name, needle in CAUSES.items() if needle in text), "other")
        found[where][cause] += 1
        if cause == "other":
            lines = [line for line in text.strip().splitlines() if line.strip()]
            others[lines[-1][:200]] += 1
    return {
        **{where: dict(counts) for where, counts in found.items()},
        "other_causes": dict(others.most_common(5)),
    }


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    restart_at = args.duration / 2 if args.restart_at is None else args.restart_at
    restart = Restart("none", lambda: (0, ""))
    if args.fault == "restart":
        command = (
            shlex.split(args.restart_command)
            if args.restart_command
            else restart_command(args.postgres)
        )
        restart = Restart(" ".join(command), lambda: run_command(command))
    elif args.fault == "block":
        restart = Restart(
            f"database {args.database} blocked for {args.block_seconds:.0f} s",
            lambda: block_database(args.postgres, args.database, args.block_seconds),
        )
    workdir = Path(tempfile.mkdtemp(prefix="integriteit-bench-fault-"))
    database_url = f"{args.postgres}/{args.database}"
    env = bench_environment(database_url, workdir, allowed_hosts="127.0.0.1")
    info = print_machine(args.postgres)
    print(f"Setting up database {args.database} and {workdir} ...", flush=True)
    recreate_database(args.postgres, args.database)
    prepare_database(env)
    use_django(env)

    server = Server(env, args.workers, args.threads, workdir / "gunicorn.log", capture_output=True)
    record = Record()
    try:
        server.start()
        url = urlsplit(server.url)
        load = Load(
            host=url.hostname or "127.0.0.1",
            port=url.port or 80,
            end_at=0,
            give_up_at=0,
            wait=args.retry_wait,
            attachment=tiny_png(),
            record=record,
        )
        hot_reports(load, args.hot_cases)
        load.staff_cookies = log_in(server.url, COORDINATOR)
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads at {server.url}; "
            f"{args.hot_cases} hot cases; {args.reporters} reporters, {args.staff} staff, "
            f"{args.repliers} repliers for {args.duration:.0f} s",
            flush=True,
        )
        start = time.time()
        load.end_at = start + args.duration
        load.give_up_at = load.end_at + args.give_up
        threads = [threading.Thread(target=reporter, args=(load,)) for _ in range(args.reporters)]
        threads += [threading.Thread(target=staff, args=(load, n)) for n in range(args.staff)]
        threads += [threading.Thread(target=replier, args=(load, n)) for n in range(args.repliers)]
        if args.fault != "none":
            threads.append(
                threading.Thread(
                    target=inject_fault, args=(restart, start + restart_at, server.url)
                )
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        finished = time.time()
    finally:
        server.stop()
    log_text = server.log.read_text() if server.log.exists() else ""
    if args.log:
        args.log.write_text(log_text)
    never = float("inf")
    if not restart.begin:
        window = (never, never)  # no restart: every answer is outside the window
    else:
        healthy = restart.healthy_again + args.window_grace if restart.healthy_again else never
        window = (restart.begin, healthy)

    stored = check_stored(record, {case["id"] for case in load.hot})
    seen = answers(record, window)
    errors = server_errors(log_text, window)
    verify = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "verify_audit_chain"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    # What reporters saw: those submitting and those replying in their mailboxes.
    inside, outside = Counter(), Counter()
    for who in ("reporter", "replier"):
        inside.update(seen.get(who, {}).get("inside_window", {}))
        outside.update(seen.get(who, {}).get("outside_window", {}))
    targets = {
        "lost": stored["lost"] == 0,
        "duplicated": stored["duplicated"] == 0,
        "half_written": stored["half_written"] == 0,
        "every_stored_code_shown": stored["stored_code_never_shown"] == 0,
        "no_server_error_outside_window": not (
            outside.get("outage_page", 0) + outside.get("bare_error", 0)
        ),
        # What reporters saw while the database was away: the outage page, never a bare
        # error page or no answer at all.
        "clear_message_inside_window": not (
            inside.get("bare_error", 0) + inside.get("no_answer", 0)
        ),
        "audit_chain": verify.returncode == 0,
    }
    document = {
        "benchmark": "load and fault: reporters submit while PostgreSQL restarts, with staff "
        "work and mailbox replies on the same cases (bench/fault.py)",
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": info,
        "load": {
            "reporters": args.reporters,
            "staff_threads": args.staff,
            "repliers": args.repliers,
            "hot_cases": args.hot_cases,
            "duration_s": args.duration,
            "retry_wait_s": args.retry_wait,
            "gunicorn": f"{args.workers} workers × {args.threads} gthread threads",
            "ran_s": round(finished - start, 1),
        },
        "restart": {
            "fault": restart.description,
            "at_s": round(restart.begin - start, 1) if restart.begin else None,
            "command_s": round(restart.command_end - restart.begin, 1) if restart.begin else None,
            "healthy_again_s": (
                round(restart.healthy_again - start, 1) if restart.healthy_again else None
            ),
            "window_s": (
                [round(window[0] - start, 1), round(window[1] - start, 1)]
                if restart.healthy_again
                else None
            ),
            "returncode": restart.returncode,
            "output": restart.output.strip()[-500:],
        },
        "reports": stored,
        "answers_seen": seen,
        "server_error_log": errors,
        "audit_chain": (verify.stdout + verify.stderr).strip(),
        "targets": targets,
        "targets_met": all(targets.values()),
    }
    print_summary(document)
    if not args.keep_database:
        from django.db import connection

        connection.close()
        recreate_database(args.postgres, args.database, drop_only=True)
    shutil.rmtree(workdir, ignore_errors=True)  # keys, ciphertext, static files, logs
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"fault-{datetime.now():%Y-%m-%d}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"Written to {out.relative_to(ROOT)}")
    return 0 if document["targets_met"] else 1


def print_summary(document: dict) -> None:
    restart, reports = document["restart"], document["reports"]
    if restart["at_s"] is not None:
        print(
            f"\nFault at {restart['at_s']} s, took {restart['command_s']} s, "
            f"/healthz again at {restart['healthy_again_s']} s; window {restart['window_s']} s "
            f"(exit {restart['returncode']})"
        )
    print(
        f"Reports: {reports['confirmed_to_client']} confirmed to the client, {reports['stored']}"
        f" stored, {reports['codes_that_open_a_mailbox']} codes open a mailbox; lost "
        f"{reports['lost']}, duplicated {reports['duplicated']}, half-written "
        f"{reports['half_written']}, stored but code never shown "
        f"{reports['stored_code_never_shown']}; attempts given up {reports['attempts_given_up']}"
        f", drafts left {reports['drafts_left']}"
    )
    if reports["given_up_reasons"]:
        print(f"  given up: {reports['given_up_reasons']}")
    print(f"Mailbox replies: {reports['replies']}; staff messages: {reports['staff_messages']}")
    for who, places in document["answers_seen"].items():
        if who == "details":
            if places:
                print(f"  no answer or bare error pages: {places}")
            continue
        for where, counts in places.items():
            print(f"  {who:<9} {where:<15} {counts}")
    print(f"Server error log by cause: {document['server_error_log']}")
    print(document["audit_chain"])
    missed = [name for name, met in document["targets"].items() if not met]
    print("Targets: " + ("all met" if not missed else f"NOT met: {', '.join(missed)}"))


if __name__ == "__main__":
    sys.exit(main())
