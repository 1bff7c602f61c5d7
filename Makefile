# MotCua: every command a developer, an operator or CI needs.
# Needs only python3 (3.11 or newer), GNU make and the package registries: the first
# target that needs the virtualenv creates .venv and installs the locked dependencies.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:

PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
# Optional extras from pyproject.toml, e.g. `make install EXTRAS=s3` (docs/howto/deploy.md).
EXTRAS ?=
empty :=
space := $(empty) $(empty)
STAMP := $(VENV)/.installed$(if $(strip $(EXTRAS)),-$(subst $(space),-,$(strip $(EXTRAS))))

# Demo and development: embedded SQLite under var/, debug on (demo accounts exist only then).
DEMO_DB := $(CURDIR)/var/motcua.sqlite3
DEV_ENV := DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=true DATABASE_URL=sqlite:///$(DEMO_DB)
# Production-like: everything else (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL …) from the environment.
PROD_ENV := DJANGO_SETTINGS_MODULE=config.settings.production
BIND ?= 127.0.0.1:8000

# pytest: two workers (the machines have 2 cores); each worker gets its own test database.
# PYTEST_WORKERS=0 runs in one process; PYTEST_ARGS adds options, e.g. PYTEST_ARGS="-k agencies".
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
PYTEST := $(PY) -m pytest --ds=config.settings.test -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# pytest exits with 5 when it collected no test: a broken run (wrong paths, import-time
# skip), never a pass. Used after `rc=0; <pytest> || rc=$$?`.
define pytest_status
if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests on $(1): check testpaths in pyproject.toml and the test file names." >&2; exit 1; fi; exit $$rc
endef

.PHONY: help install demo run test lint typecheck layers migrations-check messages-check test-sqlite test-postgres \
	bench screenshots format messages clean distclean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# --- Installation ----------------------------------------------------------------------

$(VENV):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: MotCua needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) -V 2>&1). Run e.g. make PYTHON=python3.12 …" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# uv comes from PyPI into the virtualenv itself, so nothing is installed outside the
# project; it installs exactly what uv.lock pins (docs/decisions/0001-uv-lock.md).
# --inexact keeps uv itself, which the lock does not list.
$(STAMP): pyproject.toml uv.lock | $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(CURDIR)/$(VENV) UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv sync --frozen --inexact $(foreach extra,$(EXTRAS),--extra $(extra))
	@mkdir -p var
	@touch $@

install: $(STAMP) ## Create .venv and install the locked dependencies (instant when up to date)
	@:

messages: $(STAMP) ## Compile locale/*/LC_MESSAGES/*.po into .mo (pure Python, no gettext needed)
	@$(PY) scripts/compile_messages.py

# --- Running ---------------------------------------------------------------------------

demo: install messages ## Migrate var/motcua.sqlite3, load the demo data and serve http://127.0.0.1:8000
	@mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "MotCua demo: http://127.0.0.1:8000/  (demo accounts: README.md)"
# The outbox worker (email and SMS, printed to this console) runs in the background of the
# same shell as runserver, and the EXIT trap stops it when runserver stops.
	$(DEV_ENV) $(PY) manage.py run_outbox_worker & outbox=$$!; $(DEV_ENV) $(PY) manage.py update_summaries --follow & summaries=$$!; trap 'kill $$outbox $$summaries' EXIT; $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

run: install messages ## Production-like: migrate, collectstatic, gunicorn on BIND=127.0.0.1:8000 (docs/howto/deploy.md)
	@[ -n "$${DATABASE_URL:-}" ] || { echo "error: make run needs DATABASE_URL (docs/howto/deploy.md)." >&2; exit 1; }
	$(PROD_ENV) $(PY) manage.py migrate --noinput
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
# gunicorn also reads WEB_CONCURRENCY (workers), FORWARDED_ALLOW_IPS and GUNICORN_CMD_ARGS.
	$(PROD_ENV) $(VENV)/bin/gunicorn config.wsgi:application --bind $(BIND) --access-logfile -

# --- Checks ----------------------------------------------------------------------------

# The checks run in this order and stop at the first failure; `make -k test` runs them all.
test: lint typecheck layers migrations-check messages-check test-sqlite test-postgres ## Everything CI checks: lint, typecheck, layers, migrations, translations, pytest on SQLite and PostgreSQL
	@echo "make test: all checks passed."

lint: install ## ruff check and ruff format --check (both run, so both kinds of problem show)
	@rc=0; \
	$(VENV)/bin/ruff check . || rc=1; \
	$(VENV)/bin/ruff format --check . || rc=1; \
	exit $$rc

# mypy checks the folders listed in pyproject.toml; the bench scripts, when there are any,
# are checked in a second pass (mypy refuses an empty folder in its configuration).
typecheck: install ## mypy (strict on the domain apps, see pyproject.toml)
	$(VENV)/bin/mypy
	$(if $(wildcard bench/*.py),$(VENV)/bin/mypy $(sort $(wildcard bench/*.py)))

layers: install ## import-linter: apps import only downwards (docs/architecture.md)
	$(VENV)/bin/lint-imports

migrations-check: install ## Fail when a model change has no migration
	env -u TEST_DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

messages-check: install ## Fail when a user-facing string has no Vietnamese translation (needs GNU gettext's xgettext)
	$(PY) scripts/check_messages.py

test-sqlite: install messages ## pytest on SQLite
	@echo "== pytest on SQLite"
	@rc=0; env -u TEST_DATABASE_URL $(PYTEST) || rc=$$?; $(call pytest_status,SQLite)

test-postgres: install messages ## pytest on PostgreSQL (TEST_DATABASE_URL, or 127.0.0.1:5432; mandatory with CI=true)
	@url=$$($(PY) scripts/postgres_url.py); \
	if [ -z "$$url" ]; then exit 0; fi; \
	echo "== pytest on PostgreSQL"; \
	rc=0; TEST_DATABASE_URL="$$url" $(PYTEST) || rc=$$?; $(call pytest_status,PostgreSQL)

# Each bench/*.py script uses the test settings and prints its own figures; it runs once on
# SQLite and once more on PostgreSQL (TEST_DATABASE_URL) when a server answers. A script
# that misses its target exits non-zero: the others still run, then bench fails.
bench: install ## Run every bench/*.py script on SQLite and on PostgreSQL, printing the figures
	@scripts=$$(ls bench/*.py 2>/dev/null || true); \
	if [ -z "$$scripts" ]; then echo "No benchmarks in bench/."; exit 0; fi; \
	url=$$($(PY) scripts/postgres_url.py); \
	failed=0; \
	for script in $$scripts; do \
		echo "== $$script on SQLite"; \
		env -u TEST_DATABASE_URL PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=config.settings.test $(PY) $$script || failed=1; \
		if [ -n "$$url" ]; then \
			echo "== $$script on PostgreSQL"; \
			TEST_DATABASE_URL="$$url" PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=config.settings.test $(PY) $$script || failed=1; \
		fi; \
	done; \
	exit $$failed

# The browser journeys (tests/browser) once more, on SQLite in one process, each saving its key
# pages as PNG (full page, 1280 pixels wide; the application page also at phone width).
SCREENSHOTS := docs/screenshots
screenshots: install messages ## Run the browser journeys and save their key pages into docs/screenshots/ (README.md links them)
	@[ -x /usr/bin/chromium ] || { echo "error: make screenshots needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)." >&2; exit 1; }
	@mkdir -p $(SCREENSHOTS)
	rm -f $(SCREENSHOTS)/*.png
	env -u TEST_DATABASE_URL MOTCUA_SCREENSHOTS=$(CURDIR)/$(SCREENSHOTS) $(PY) -m pytest --ds=config.settings.test -n 0 -m browser $(PYTEST_ARGS) tests/browser

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# --- Cleaning --------------------------------------------------------------------------

clean: ## Remove caches and collected static files (keeps .venv and the demo database)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .hypothesis var/static

distclean: clean ## Also remove .venv and var/ (the demo database, uploaded files)
	rm -rf $(VENV) var
