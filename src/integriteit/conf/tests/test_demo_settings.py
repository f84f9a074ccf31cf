"""`make demo PORT=8080` serves on 8080, and so do the links in the demo's e-mails (issue 10
"Demo": they pointed at port 8000 whatever PORT was); the demo serves with DEBUG off, so a
visitor never sees Django's technical error pages. The settings are imported in a fresh
interpreter with the environment the Makefile gives the server."""

import os
import shlex
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from integriteit.reports.services import notify_reporter

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def demo_server_environment(*make_args: str) -> tuple[dict[str, str], str]:
    """The variables `make demo` sets on the runserver command line and the address it serves
    on (read with `make -n`, which prints the commands without running them)."""
    printed = subprocess.run(
        ["make", "-n", "demo", *make_args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in printed.splitlines() if "manage.py runserver" in line)
    assignments = {}
    for word in shlex.split(line):
        name, is_assignment, value = word.partition("=")
        if not is_assignment or not name.isidentifier():
            break
        assignments[name] = value
    return assignments, line.split()[-1]


def demo_settings(environment: dict[str, str]) -> list[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    env |= environment | {"PYTHONPATH": str(settings.SRC_DIR.parent)}
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from integriteit.conf import dev; print(dev.SITE_URL, dev.DEBUG, *dev.ALLOWED_HOSTS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return printed.split()


@needs_make
@pytest.mark.parametrize(
    ("make_args", "address"),
    [((), "127.0.0.1:8000"), (("PORT=8080",), "127.0.0.1:8080")],
    ids=["default-port", "port-8080"],
)
def test_demo_mail_links_follow_the_port(make_args, address):
    environment, served_on = demo_server_environment(*make_args)
    assert served_on == address
    site, debug, *hosts = demo_settings(environment)
    assert site == f"http://{address}"
    assert debug == "False"
    assert "127.0.0.1" in hosts


@needs_make
def test_a_site_url_given_to_make_wins():
    environment, _address = demo_server_environment("PORT=8080", "SITE_URL=https://demo.example")
    assert demo_settings(environment)[0] == "https://demo.example"


@override_settings(SITE_URL="http://127.0.0.1:8080")
def test_the_reporters_mail_links_to_the_site_url(people, make_report):
    report, _code = make_report(name="Rosa", email="rosa@example.org")
    mail.outbox.clear()
    notify_reporter(report)
    assert "http://127.0.0.1:8080/postbus/" in mail.outbox[0].body
