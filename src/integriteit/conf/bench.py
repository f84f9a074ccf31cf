"""Benchmark only (bench/submissions.py, docs/benchmarks.md): never use this in a deployment.

Production settings with two changes so that a load generator can speak plain HTTP on loopback:
cookies are not marked Secure (a client would not send them back over http) and there is no
redirect to HTTPS. STATIC_ROOT can point at a temporary directory (BENCH_STATIC_ROOT).
"""

from pathlib import Path

from .base import env
from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
if env("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(env("BENCH_STATIC_ROOT"))
