"""Settings shared by every environment.

Every value that differs between installations comes from the environment; each variable is
read here, in one place, and documented in docs/configuration.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from integriteit import logs

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "integriteit"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "integriteit.ui",
    "integriteit.crypto",
    "integriteit.deadlines",
    "integriteit.access",
    "integriteit.audit",
    "integriteit.outbox",
    "integriteit.figures",
    "integriteit.organisations",
    "integriteit.accounts",
    "integriteit.reports",
    "integriteit.cases",
    "integriteit.investigations",
    "integriteit.registry",
    "integriteit.advisers",
    "integriteit.notifications",
    "integriteit.prevention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "integriteit.ui.middleware.ReporterPrivacyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything that reads or writes: every page 503 under a wrong key document (ADR 0011).
    "integriteit.crypto.middleware.KeyCheckMiddleware",
    # Before CSRF and the views read the form: invalid UTF-8 is refused, not stored garbled.
    "integriteit.ui.encoding.StrictFormEncodingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "integriteit.access.middleware.RolesPerRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "integriteit.accounts.sessions.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # A page that needs a record failing its integrity check: a clear page and an alert.
    "integriteit.ui.integrity.IntegrityFailureMiddleware",
]

ROOT_URLCONF = "integriteit.urls"
WSGI_APPLICATION = "integriteit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "integriteit.ui.context_processors.site",
                "integriteit.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL (psycopg 3) with DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'integriteit.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it, so the connections that a
        # database restart broke are replaced instead of failing a request each (ADR 0007).
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (the database) so that throttling holds across application processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "integriteit_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:queue"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (Open Zaak's defaults): 5 failures lock the username for 5 minutes.
# Axes keys on the username only, so no client address is needed or stored.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 5 / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_META_PRECEDENCE_ORDER: list[str] = []
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# axes.W006 asks for the client address as a lockout key; we deliberately never use addresses
# (SECURITY.md), and lock per username instead.
# models.W040: the covering indexes (INCLUDE columns) are for PostgreSQL; SQLite, the embedded
# default, builds them without the extra columns, which is fine for its size.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]

OTP_TOTP_ISSUER = "Integriteit"
# Never show a TOTP key or QR code in the admin (accounts/admin.py replaces django-otp's admin
# anyway; this holds should it ever come back). docs/decisions/0012-access-seals.md.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How long the one-time link to choose a password works (Django's default, made explicit).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Language: Dutch first, English available (message ids in English, Dutch in locale/nl/).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The NL Design System CSS is not served as its packages ship it (850 kB) but pruned to what the
# templates use: ui/static/ui/nlds.css, written by `manage.py build_css` (ui/stylesheet.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Encrypted attachments are written here (ciphertext only); see docs/security.md.
UPLOAD_ROOT = Path(env("UPLOAD_ROOT", str(BASE_DIR / "var" / "uploads")))
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_MAX_COUNT = int(env("ATTACHMENT_MAX_COUNT", "10"))
# Uploads are kept in memory and never spooled to a temporary file in clear (ui/uploads.py):
# what is beyond these limits is refused without being buffered.
UPLOAD_MAX_REQUEST_BYTES = int(env("UPLOAD_MAX_REQUEST_BYTES", str(50 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["integriteit.ui.uploads.BoundedMemoryUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Files past ATTACHMENT_MAX_COUNT get a field error from the upload handler; this is the hard stop.
DATA_UPLOAD_MAX_NUMBER_FILES = 10 * ATTACHMENT_MAX_COUNT
# Decompression bombs (reports/attachments.py): pixels of an image, checked from its header;
# bytes unpacked from an Office or OpenDocument file (counted while inflating), the compression
# ratio of one of its parts, and the number of parts.
IMAGE_MAX_PIXELS = int(env("IMAGE_MAX_PIXELS", str(50_000_000)))
ARCHIVE_MAX_UNPACKED_BYTES = int(env("ARCHIVE_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024)))
ARCHIVE_MAX_RATIO = int(env("ARCHIVE_MAX_RATIO", "100"))
ARCHIVE_MAX_MEMBERS = int(env("ARCHIVE_MAX_MEMBERS", "5000"))

# Keys live outside the database (docs/decisions/0003-envelope-encryption.md).
# KEY_FILE holds the key-encryption keys, the receipt-code pepper and the audit key.
INTEGRITEIT_KEY_FILE = env("INTEGRITEIT_KEY_FILE", str(BASE_DIR / "var" / "keys.json"))
INTEGRITEIT_KEYS_JSON = env("INTEGRITEIT_KEYS")  # alternative: the same JSON in the environment

# Receipt codes: argon2id at least at OWASP's minimum (19 MiB, 2 iterations).
RECEIPT_ARGON2_MEMORY_KIB = int(env("RECEIPT_ARGON2_MEMORY_KIB", "19456"))
RECEIPT_ARGON2_TIME_COST = int(env("RECEIPT_ARGON2_TIME_COST", "2"))
# Mailbox login throttling, without an account or a client address to key on (reports.throttle):
# a code is locked after this many failures in 15 minutes; every login waits 2, 4, 8 … seconds
# per this many failures site-wide in the last minute, at most MAILBOX_MAX_WAIT_SECONDS.
MAILBOX_FAILURES_PER_CODE = int(env("MAILBOX_FAILURES_PER_CODE", "5"))
MAILBOX_CALM_FAILURES_PER_MINUTE = int(env("MAILBOX_CALM_FAILURES_PER_MINUTE", "10"))
MAILBOX_MAX_WAIT_SECONDS = int(env("MAILBOX_MAX_WAIT_SECONDS", "30"))

# Deadlines (RULES R3, R4), and how many days before any deadline it counts as "due soon"
# (deadlines.services.urgency: the case page, the mailbox, the dashboard and the reminders).
ACKNOWLEDGEMENT_DAYS = 7
FEEDBACK_MONTHS = 3
# An open complaint about the handling holds back the removal of the original case's personal
# data (RULES R9) for at most this many months after the complaint was received
# (cases/retention.py; docs/process.md "After closure").
COMPLAINT_HOLD_MONTHS = int(env("COMPLAINT_HOLD_MONTHS", "12"))
DUE_SOON_DAYS = int(env("DUE_SOON_DAYS", "3"))
# Every number that leaves an organisation (the advisers' annual report, the process evaluation):
# counts under this are suppressed, and so are figures over groups smaller than this (ADR 0016).
FIGURES_MIN_CELL = int(env("FIGURES_MIN_CELL", "5"))
# Investigations (RULES R12, time limits configurable): terms to approve an interview record and
# to respond to the draft report.
INTERVIEW_RESPONSE_DAYS = int(env("INTERVIEW_RESPONSE_DAYS", "10"))
DRAFT_RESPONSE_DAYS = int(env("DRAFT_RESPONSE_DAYS", "14"))
DRAFT_REPORT_LIFETIME_HOURS = int(env("DRAFT_REPORT_LIFETIME_HOURS", "24"))

# The audit chain's head is appended here by `anchor_audit_chain` and compared by
# `verify_audit_chain` (ADR 0006). In production a place the database's operators cannot write.
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", str(BASE_DIR / "var" / "audit-anchor.jsonl"))

# Mail is written to the outbox in the sender's transaction and delivered after the commit, with
# retries by `manage.py send_outbox` (ADR 0017); EMAIL_DELIVERY_BACKEND is what delivers it.
EMAIL_BACKEND = "integriteit.outbox.backend.OutboxBackend"
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "meldpunt@integriteit.example")

# Security defaults in one place (Open Zaak style).
SESSION_COOKIE_HTTPONLY = True
# Flash messages live in the session: no "messages" cookie beyond the session and CSRF cookies
# (SECURITY.md "Nothing that identifies a reporter").
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Strict"
# The database holds a keyed digest of each session key, never the key (ui/sessions.py).
SESSION_ENGINE = "integriteit.ui.sessions"
# Server side, a session row lasts this long; in the browser, every session and CSRF cookie ends
# when the browser closes: nothing stays on a reporter's device (the mailbox's 30-minute idle
# limit is kept in the session, reports/views/mailbox.py).
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Staff sessions end 8 hours after login however active the user is (SESSION_COOKIE_AGE alone
# slides with every change), and after an idle period (accounts/sessions.py).
STAFF_SESSION_MAX_AGE = 60 * 60 * 8
STAFF_SESSION_IDLE_MINUTES = int(env("STAFF_SESSION_IDLE_MINUTES", "60"))
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_AGE = None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": browsers then send "Origin: null" with same-site form posts, which
# Django's CSRF check refuses. "same-origin" still sends nothing to other sites, and
# ReporterPrivacyMiddleware drops the Referer of our own pages.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "connect-src": [SELF],
    }
}

# Logs: structured with structlog (integriteit/logs.py), one JSON object a line unless
# LOG_FORMAT=console (the development default, conf/dev.py); never a client address, user agent
# or referrer (SECURITY.md "Nothing that identifies a reporter"): the processors drop such keys
# and Django's request objects, and the development server's access log is off.
LOG_FORMAT = env("LOG_FORMAT", "json")
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = logs.logging_settings(LOG_FORMAT, LOG_LEVEL)
logs.configure()

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock at BEGIN so concurrent writers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
