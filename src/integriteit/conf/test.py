"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL is set (CI runs both)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="integriteit-uploads-"))
INTEGRITEIT_KEY_FILE = str(Path(tempfile.mkdtemp(prefix="integriteit-keys-")) / "keys.json")
AUDIT_ANCHOR_FILE = str(Path(tempfile.mkdtemp(prefix="integriteit-anchor-")) / "anchor.jsonl")
# Cheaper receipt-code hashing keeps the suite fast; production values are tested separately.
RECEIPT_ARGON2_MEMORY_KIB = 1024
RECEIPT_ARGON2_TIME_COST = 1

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so the plaintext test can read what reaches the disk.
    # INTEGRITEIT_TEST_DB lets several test runs share one checkout without sharing a file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("INTEGRITEIT_TEST_DB", str(BASE_DIR / "var" / "test-db.sqlite3"))
    }

# Serve static files straight from the finders (no collectstatic needed for browser tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]
