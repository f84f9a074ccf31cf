import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integriteit.conf.production")
application = get_wsgi_application()

# Refuse to boot under a key document that does not fit the database (ADR 0011): gunicorn's
# workers and runserver stop here with the reason instead of serving with the wrong keys.
from integriteit.crypto.keycheck import check_at_start  # noqa: E402 (needs django.setup())

check_at_start()
