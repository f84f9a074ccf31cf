"""What production accepts as SECRET_KEY (issue 8 item 12). Not a settings module: production.py
and dev.py import from it."""

# The demo's key (conf/dev.py). Public in this repository, so production refuses it.
DEVELOPMENT_KEY = "demo-only-secret-key-do-not-use-in-production"
MIN_LENGTH = 50  # Django's own minimum (manage.py check --deploy, security.W009)
# Django's check asks for only 5 distinct characters; 10 still lets a random hex key (16 symbols)
# pass and refuses keys made by hand such as "passwordpassword…".
MIN_DISTINCT = 10


def problem(key: str) -> str | None:
    """Why `key` must not sign production sessions and CSRF tokens, or None when it may."""
    if not key:
        return "is not set"
    if key == DEVELOPMENT_KEY:
        return "is the development default"
    if len(key) < MIN_LENGTH:
        return f"has {len(key)} characters; at least {MIN_LENGTH} are needed"
    if len(set(key)) < MIN_DISTINCT:
        return f"has only {len(set(key))} distinct characters; at least {MIN_DISTINCT} are needed"
    if key.startswith("django-insecure-"):
        return "was made by Django's startproject for development"
    return None
