"""Local development and the demo: embedded SQLite, mails printed to the console."""

from integriteit import logs

from .base import *  # noqa: F403
from .base import LOG_LEVEL, env, env_bool
from .secret_key import DEVELOPMENT_KEY

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_KEY)
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Readable log lines in the terminal; LOG_FORMAT=json shows what production writes.
LOG_FORMAT = env("LOG_FORMAT", "console")
LOGGING = logs.logging_settings(LOG_FORMAT, LOG_LEVEL)
