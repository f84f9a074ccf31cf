"""Production: PostgreSQL, HTTPS behind a reverse proxy (see docs/deployment.md)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool
from .secret_key import problem as secret_key_problem

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# The key signs sessions, CSRF tokens and password-reset links: a short or guessable one lets
# anyone forge them. Refuse to start rather than run with it (issue 8 item 12).
if problem := secret_key_problem(SECRET_KEY):  # noqa: F405
    raise ImproperlyConfigured(
        f"SECRET_KEY {problem}. Set it to a long random value, for example the output of "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
