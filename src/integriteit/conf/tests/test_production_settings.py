"""conf/production.py refuses to start with a weak SECRET_KEY (issue 8 item 12). Each case
imports the settings module in a fresh interpreter with the environment a deployment would set,
because the check runs once, at import."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from integriteit.conf.secret_key import DEVELOPMENT_KEY


def import_production_settings(secret_key: str | None) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env["PYTHONPATH"] = str(settings.SRC_DIR.parent)
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    return subprocess.run(
        [sys.executable, "-c", "import integriteit.conf.production"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("secret_key", "reason"),
    [
        (None, "SECRET_KEY is not set"),
        ("", "SECRET_KEY is not set"),
        ("geheim", "SECRET_KEY has 6 characters; at least 50 are needed"),
        ("x" * 49, "SECRET_KEY has 49 characters"),
        ("ab" * 40, "SECRET_KEY has only 2 distinct characters; at least 10 are needed"),
        ("password" * 8, "SECRET_KEY has only 7 distinct characters"),
        (DEVELOPMENT_KEY, "SECRET_KEY is the development default"),
        ("django-insecure-" + secrets.token_urlsafe(50), "made by Django's startproject"),
    ],
    # Stable test ids: the xdist workers must collect the same tests (random keys differ).
    ids=["unset", "empty", "short", "49", "two-chars", "seven-chars", "dev-default", "insecure"],
)
def test_weak_secret_key_refuses_to_start(secret_key, reason):
    result = import_production_settings(secret_key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # how to make a good one
    if secret_key:
        assert secret_key not in result.stderr  # the refused key is not echoed into logs


@pytest.mark.parametrize(
    "secret_key",
    [secrets.token_urlsafe(50), secrets.token_hex(32), secrets.token_urlsafe(38)],
    ids=["urlsafe-50", "hex-32", "urlsafe-38"],
)
def test_random_secret_key_starts(secret_key):
    result = import_production_settings(secret_key)
    assert result.returncode == 0, result.stderr
