"""What the benchmarks share (bench/submissions.py, fault.py, dashboard.py, advisers.py,
registry.py, profile_submission.py; docs/benchmarks.md): the environment and a throw-away database, gunicorn
with integriteit.conf.bench, a lean HTTP client, the reporter's real path, a staff login
through the real pages, machine facts, CPU accounting and percentiles."""

from __future__ import annotations

import http.client
import io
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx
import psycopg
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
ORGANISATION = "bzk"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(rb'id="receipt-code">\s*([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})\s*<')
DESCRIPTION = (
    "Benchmark: bij de afdeling inkoop worden facturen van een leverancier goedgekeurd zonder "
    "dat de levering is gecontroleerd. Dit gebeurt sinds enkele maanden, elke week."
)


# --- Measurements ---------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50": round(percentile(ms, 50), 1),
        "p95": round(percentile(ms, 95), 1),
        "p99": round(percentile(ms, 99), 1),
        "max": round(max(ms), 1) if ms else float("nan"),
    }


# --- The reporter's path --------------------------------------------------------------------


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 30, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


class Browser:
    """A lean HTTP/1.1 client for the load generator: one keep-alive connection, a cookie jar,
    no redirects followed. It shares the machine's cores with the server, so every
    millisecond it spends is one the server does not get: http.client on bytes costs a
    fraction of httpx per request. It still sends every request a browser would, reads every
    response to the end and keeps the cookies the server sets (session, CSRF)."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, str, bytes]:
        """(status, Location header, body). A failed connection is dropped, never retried
        here: whether to send a request again is the benchmark's choice (a retried POST could
        submit twice, and the integrity check must see the truth)."""
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or ():
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.will_close:
            self.close()
        return response.status, response.headers.get("Location", ""), content


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class PathFailed(Exception):
    """A step of a path got an answer other than the one expected."""

    def __init__(self, step: str, status: int, location: str = ""):
        super().__init__(f"{step}: {status} {location}".strip())
        self.step, self.status, self.location = step, status, location


# send(step, method, path, expect, body, content_type) -> response body; raises PathFailed
# (or OSError / http.client.HTTPException when the connection fails).
Send = Callable[[str, str, str, tuple, "bytes | None", str], bytes]


def csrf_token(page: bytes, step: str) -> str:
    found = CSRF_INPUT.search(page)
    if found is None:
        raise PathFailed(f"{step} (no CSRF token)", 200)
    return found.group(1).decode()


def reporter_path(send: Send, attachment: bytes, description: str = DESCRIPTION) -> str:
    """One anonymous report along the reporter's real path, the five requests a browser makes;
    returns the receipt code read from the last page. `send` performs one request: the
    benchmarks decide how to time it and what to do when it fails."""
    form = send("get_form", "GET", f"/melden/{ORGANISATION}/", (200,), None, "")
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": csrf_token(form, "get_form"),
            "kind": "integrity_violation",
            "violation_types": "financial",
            "description": description,
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
        },
        {"attachments": ("factuur.png", attachment, "image/png")},
    )
    check_page = (302, "/melden/controleren/")
    send("post_form", "POST", f"/melden/{ORGANISATION}/", check_page, body, content_type)
    check = send("get_check", "GET", "/melden/controleren/", (200,), None, "")
    send(
        "post_submit",
        "POST",
        "/melden/versturen/",
        (302, "/melden/ontvangen/"),
        urlencode({"csrfmiddlewaretoken": csrf_token(check, "get_check")}).encode(),
        "application/x-www-form-urlencoded",
    )
    received = send("get_received", "GET", "/melden/ontvangen/", (200,), None, "")
    code = RECEIPT.search(received)
    if code is None:
        raise PathFailed("get_received (no receipt code)", 200)
    return code.group(1).decode()


def log_in(base_url: str, username: str) -> dict[str, str]:
    """A demo staff member logs in with password and TOTP through the real pages; returns the
    session cookies. Needs Django set up in this process (use_django), to read the device."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from integriteit.accounts.demo import DEMO_PASSWORD

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/account/inloggen/")
        response = client.post(
            "/account/inloggen/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.content, "login"),
                "username": username,
                "password": DEMO_PASSWORD,
            },
        )
        if response.status_code != 302 or "tweede-factor" not in response.headers["location"]:
            sys.exit(f"login failed: {response.status_code}")
        page = client.get("/account/tweede-factor/")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        response = client.post(
            "/account/tweede-factor/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.content, "second factor"),
                "token": f"{code:0{device.digits}d}",
            },
        )
        if response.status_code != 302 or client.get("/behandeling/").status_code != 200:
            sys.exit(f"second factor failed: {response.status_code}")
        return dict(client.cookies)


# --- CPU ------------------------------------------------------------------------------------


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process, or 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def machine_busy_s() -> float:
    """CPU seconds spent not idle by the whole machine (all processes, kernel included)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def cpu_snapshot(server_pid: int) -> dict[str, float]:
    return {
        "client": time.process_time(),
        "server": sum(process_cpu_s(p) for p in [server_pid, *children(server_pid)]),
        "machine": machine_busy_s(),
    }


def wait_for_quiet(limit_s: float, threshold: float = 0.25) -> float:
    """Wait (at most limit_s) until other work on the machine uses < threshold of its CPU;
    return the share measured last. Shared machines (CI, other sessions) skew every figure."""
    cores = len(os.sched_getaffinity(0))
    deadline = time.monotonic() + limit_s
    while True:
        start = machine_busy_s()
        time.sleep(1)
        busy = (machine_busy_s() - start) / cores
        if busy < threshold or time.monotonic() >= deadline:
            return round(busy, 2)
        time.sleep(2)


# --- Environment ----------------------------------------------------------------------------


def machine(postgres_url: str) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    with psycopg.connect(f"{postgres_url}/postgres") as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgres": pg_version,
    }


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def recreate_database(postgres_url: str, name: str, drop_only: bool = False) -> None:
    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_database(env: dict, *, for_server: bool = True) -> None:
    """Keys, schema and demo data in the benchmark's (empty) database; with `for_server` also
    the cache table and static files that gunicorn needs."""
    manage(env, "generate_keys")
    manage(env, "migrate", "--verbosity", "0")
    if for_server:
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo")


def use_django(env: dict) -> None:
    """Set up Django in this process with the benchmark's environment (for what a benchmark
    reads or computes in-process: fills, TOTP codes, receipt look-ups)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


class Server:
    """gunicorn with the production WSGI app and the deployment's configuration
    (src/integriteit/conf/gunicorn.py: no access log, which would hold client addresses, and no
    Server header); the command line sets the port, workers and threads. `capture_output` also sends the application's own log (Django's errors, with tracebacks)
    to the error log, for a benchmark that attributes server errors to their causes."""

    def __init__(
        self, env: dict, workers: int, threads: int, log: Path, *, capture_output: bool = False
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            GUNICORN,
            "integriteit.wsgi",
            "--chdir",
            str(ROOT / "src"),
            "--config",
            str(ROOT / "src" / "integriteit" / "conf" / "gunicorn.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--error-logfile",
            str(log),
            "--log-level",
            "warning",
            *(["--capture-output"] if capture_output else []),
        ]
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer /healthz within 60 s:\n{self.log.read_text()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM to the arbiter: graceful shutdown of its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bench_environment(database_url: str, workdir: Path, allowed_hosts: str = "") -> dict:
    """The environment of every benchmark's server and management commands: bench settings,
    a throw-away key file, upload and static folders and audit anchor in `workdir`, no real
    e-mail."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "integriteit.conf.bench",
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "0",
            "INTEGRITEIT_KEY_FILE": str(workdir / "keys.json"),
            "UPLOAD_ROOT": str(workdir / "uploads"),
            "AUDIT_ANCHOR_FILE": str(workdir / "audit-anchor.jsonl"),  # per database (ADR 0006)
            "BENCH_STATIC_ROOT": str(workdir / "static"),
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    if allowed_hosts:
        env["ALLOWED_HOSTS"] = allowed_hosts
    return env


def print_machine(postgres_url: str) -> dict:
    info = machine(postgres_url)
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, "
        f"Python {info['python']}, PostgreSQL {info['postgres']}"
    )
    return info


# --- In-process measuring (bench/registry.py, bench/prevention.py) ---------------------------

# An empty staff page, the floor of every staff page measured in-process.
EMPTY_PAGE = "/bench-leeg/"


def empty_page_urls(name: str) -> str:
    """A root URLconf: the project's, and an empty staff page (the floor of every staff page:
    middleware, session, user and second factor, the base template)."""
    from django.shortcuts import render
    from django.urls import path

    from integriteit import urls
    from integriteit.accounts.decorators import staff_required

    @staff_required
    def empty(request):
        return render(request, "ui/base.html", {})

    module = types.ModuleType(name)
    module.urlpatterns = [path(EMPTY_PAGE.strip("/") + "/", empty), *urls.urlpatterns]  # type: ignore[attr-defined]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, name, getattr(urls, name))
    sys.modules[module.__name__] = module
    return module.__name__


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def stats(times: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),
        "runs_ms": [round(t, 2) for t in times],
    }


def queries_of(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)
