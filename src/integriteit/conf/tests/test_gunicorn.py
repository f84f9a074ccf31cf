"""gunicorn started with the repository's configuration (conf/gunicorn.py) does not announce
itself in a `Server` header and writes no access log (issue 8 item 12; docs/deployment.md
"Application server"). The server runs the production settings on a loopback port against the
test database."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from integriteit.testing import database_url

# Transactional: the server is another process that writes to the test database (on SQLite a
# test's open transaction would hold the write lock, e.g. when a flush emptied the fingerprints).
pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = settings.SRC_DIR / "conf" / "gunicorn.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> http.client.HTTPResponse:
    # The first request in a fresh worker loads the application and checks the key document:
    # on a loaded machine (two test workers beside other jobs) that took over 10 s. A wait,
    # not a timing assertion.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # What the reverse proxy sends (docs/deployment.md), so production settings do not redirect.
    conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn as docs/deployment.md starts it, with one worker and a loopback port."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY"}
    }
    env.update(
        {
            # Where gunicorn would put a control socket if it made one.
            "HOME": str(tmp_path),
            "XDG_RUNTIME_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "integriteit.conf.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url(),
            "INTEGRITEIT_KEY_FILE": settings.INTEGRITEIT_KEY_FILE,
            "UPLOAD_ROOT": str(tmp_path / "uploads"),
        }
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "integriteit.wsgi",
                "--chdir",
                "src",
                "-c",
                str(CONFIG.relative_to(settings.BASE_DIR)),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60  # waiting for start-up, not a timing assertion
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not start:\n{log.read_text()}"
                time.sleep(0.2)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_no_server_header_no_access_log_no_control_socket(gunicorn):
    port, log = gunicorn
    health = get(port, "/healthz")
    assert health.status == 200
    assert health.getheader("Server") is None
    assert "gunicorn" not in str(health.headers).lower()
    # Another response than the health check: the staff start page redirects to the login.
    redirect = get(port, "/werkplek/")
    assert redirect.status == 302
    assert redirect.getheader("Server") is None
    # No access log: no request line, no client address in anything gunicorn wrote.
    written = log.read_text()
    assert "/healthz" not in written and "/werkplek/" not in written
    assert "127.0.0.1" not in written
    # gunicorn 25+ opens a control socket for `gunicornc` by default; the configuration turns
    # it off (no runtime control of the server through a socket, no clash between servers).
    home = log.parent
    assert not (home / "gunicorn.ctl").exists()
    assert not (home / ".gunicorn").exists()
