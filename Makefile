# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the demo's e-mails (password links, "news in your mailbox") point at the served port;
# from another machine: `make demo HOST=0.0.0.0 SITE_URL=http://name:8000 ALLOWED_HOSTS=name`.
SITE_URL ?= http://$(HOST):$(PORT)
ALLOWED_HOSTS ?= localhost,127.0.0.1,$(HOST)
# The demo serves as production does, with DEBUG off: visitors get the site's own error pages,
# never Django's technical ones (static files by WhiteNoise, after collectstatic).
DEMO_ENV := SITE_URL=$(SITE_URL) ALLOWED_HOSTS=$(ALLOWED_HOSTS) DEBUG=0
LINT_PATHS := src $(wildcard bench)

.PHONY: install system-deps demo serve test test-fast lint format bench totp messages chromium clean lighthouse

$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $@

# pa11y's puppeteer never downloads a browser (.puppeteerrc.cjs says so too): Debian's chromium.
node_modules/.installed: package.json package-lock.json .puppeteerrc.cjs
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Only the NL Design System CSS that the templates and forms use (src/integriteit/ui/stylesheet.py).
NLDS_CSS := src/integriteit/ui/static/ui/nlds.css
CSS_SOURCES := $(shell find src/integriteit \( -path '*/templates/*.html' -o -name '*.py' \) -not -path '*/tests/*' -not -path '*/migrations/*')
$(NLDS_CSS): node_modules/.installed $(VENV)/.installed $(CSS_SOURCES)
	$(PY) manage.py build_css
	touch $@

install: system-deps $(VENV)/.installed node_modules/.installed $(NLDS_CSS)

# Debian's Pango and a font for WeasyPrint (investigation reports as PDF); installed only when
# missing, never from anywhere but Debian.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

var/keys.json: | $(VENV)/.installed
	$(PY) manage.py generate_keys --if-missing

# Installs, migrates, loads demo data (people, cases in every phase) on SQLite and serves
# http://$(HOST):$(PORT) (`make demo PORT=8080` for another port). README "Demo" says who sees what.
# While the server runs, `run_scheduler` sends the reminders, escalations and the outbox every
# minute in the background (docs/notifications.md); it stops with the server.
demo: install var/keys.json
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving on $(SITE_URL)/  (reporters: /melden/ and /postbus/; staff: /account/inloggen/)"
	@echo "Reminders, escalations and mail: every minute (manage.py run_scheduler, in var/scheduler.log)"
	@$(DEMO_ENV) $(PY) manage.py run_scheduler >var/scheduler.log 2>&1 & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(PY) manage.py runserver --noreload $(HOST):$(PORT)

totp:
	@$(PY) manage.py totp_code $(USER)

# Debian's Chromium for the browser tests; never a browser download.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null || { echo "chromium could not be installed" >&2; exit 1; }

# All tests, on SQLite unless DATABASE_URL points at PostgreSQL; after the checks (migrations,
# ruff, mypy including the tests). Hypothesis runs its "ci" profile (src/integriteit/conftest.py):
# the same examples every run; `make test HYPOTHESIS_PROFILE=dev` for random ones.
HYPOTHESIS_PROFILE ?= ci
# Lighthouse runs last, alone (`make lighthouse`); `make test LIGHTHOUSE=no` leaves it out (CI's
# PostgreSQL run: the pages and their scores do not depend on the database).
LIGHTHOUSE ?= yes
test: install chromium
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run --settings=integriteit.conf.test
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy src
	HYPOTHESIS_PROFILE=$(HYPOTHESIS_PROFILE) $(PY) -m pytest --ds=integriteit.conf.test -n 2 --dist worksteal -q -m "not lighthouse"
	$(if $(filter yes,$(LIGHTHOUSE)),$(MAKE) lighthouse)

# Lighthouse on the public pages (docs/accessibility.md), alone on the machine: it measures time.
# Reports in var/lighthouse/.
lighthouse: install chromium
	mkdir -p var
	$(PY) -m pytest --ds=integriteit.conf.test -q -m lighthouse

lint: install
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy src

format: install
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)

messages: install
	cd src/integriteit && ../../$(PY) ../../manage.py makemessages -l nl --no-obsolete --ignore '*/tests/*' && ../../$(PY) ../../manage.py compilemessages -l nl

# The benchmarks (docs/benchmarks.md); one of them with e.g. `make bench BENCH_ONLY=dashboard`.
# `fault` restarts the PostgreSQL cluster once (bench/fault.py --help; BENCH_ONLY to leave it out).
BENCH_ONLY ?= submissions dashboard advisers fault registry prevention
bench: install var/keys.json
	@for name in $(BENCH_ONLY); do $(PY) bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) node_modules staticfiles var/test-db*.sqlite3 $(NLDS_CSS)
