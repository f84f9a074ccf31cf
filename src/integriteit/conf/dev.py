"""Local development and the demo: embedded SQLite, mails printed to the console."""

from .base import *  # noqa: F403
from .base import env, env_bool
from .secret_key import DEVELOPMENT_KEY

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_KEY)
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
