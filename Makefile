# Social Media Policy portal: local development, tests and checks.
#
#   make run      set up, migrate, load the demonstration data and serve on 127.0.0.1:8000
#   make test     run the test suite (PYTEST_ARGS="..." to narrow it)
#   make lint     ruff, formatting and missing migrations
#   make help     every target
#
# Python 3.12 or newer is found automatically (see scripts/find-python.sh);
# choose one with: make PYTHON=/path/to/python3.12 <target>

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY = $(VENV)/bin/python
PYTHON ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=
STAMP = $(VENV)/.installed-stamp
NEW_ENOUGH = import sys; assert sys.version_info >= (3, 12)

# A missing virtualenv, or one made with a Python older than 3.12, is (re)built.
VENV_OK := $(shell '$(PY)' -c '$(NEW_ENOUGH)' >/dev/null 2>&1 && echo yes)
ifneq ($(VENV_OK),yes)
STAMP_FORCE := FORCE
endif

.PHONY: help install run test lint format migrate seed worker beat check-deploy bench backup restore clean distclean FORCE

help:
	@echo "Targets:"
	@echo "  run           install, migrate, load demonstration data, serve on http://127.0.0.1:8000"
	@echo "  test          run the tests (PYTEST_ARGS=... to pass options; DATABASE_URL/REDIS_URL honoured)"
	@echo "  lint          ruff check and format, djLint rules on templates, makemigrations --check, bandit"
	@echo "  format        ruff format and ruff check --fix"
	@echo "  migrate       apply migrations"
	@echo "  seed          load the demonstration data (seed_demo)"
	@echo "  worker        run a Celery worker (needs REDIS_URL)"
	@echo "  beat          run the Celery scheduler (needs REDIS_URL)"
	@echo "  check-deploy  Django's deployment checks with production-like settings"
	@echo "  bench         page benchmark on a scratch PostgreSQL database (BENCH_DATABASE_URL, default"
	@echo "                portal_bench on 127.0.0.1): seeds 1k/10k/100k cases, writes bench/results.json"
	@echo "                (BENCH_ARGS=... passes options to bench/run.py, e.g. --check); not part of test"
	@echo "  backup        pg_dump (custom format) of DATABASE_URL into var/backups/ (FILE=... to choose)"
	@echo "  restore       restore FILE=... into DATABASE_URL (replaces its contents)"
	@echo "  install       create $(VENV) and install requirements-dev.txt"
	@echo "  clean         remove var/ (local database, mail, files) and caches"
	@echo "  distclean     clean, and remove $(VENV)"

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt $(STAMP_FORCE)
	@if ! '$(PY)' -c '$(NEW_ENOUGH)' >/dev/null 2>&1; then \
		base="$$(PYTHON='$(PYTHON)' bash scripts/find-python.sh)" || exit 1; \
		echo "Creating $(VENV) with $$base ($$("$$base" -c 'import platform; print(platform.python_version())'))"; \
		rm -rf '$(VENV)'; \
		"$$base" -m venv '$(VENV)' || { \
			echo "Could not create $(VENV); on Debian or Ubuntu install the matching python3.X-venv package." >&2; \
			exit 1; }; \
	fi
	@echo "Installing requirements-dev.txt into $(VENV)"
	@'$(PY)' -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch '$@'

FORCE:

var:
	@mkdir -p var

run: $(STAMP) | var
	@export DJANGO_DEBUG="$${DJANGO_DEBUG:-1}"; \
	set -e; \
	'$(PY)' manage.py migrate --noinput; \
	'$(PY)' manage.py seed_demo; \
	'$(PY)' manage.py runserver 127.0.0.1:8000

test: $(STAMP) | var
	@if [ -z "$${DATABASE_URL:-}" ]; then db="SQLite (var/)"; \
	else case "$$DATABASE_URL" in \
		postgres*) db="PostgreSQL (DATABASE_URL)";; \
		*) db="$${DATABASE_URL%%:*} (DATABASE_URL)";; \
	esac; fi; \
	if [ -n "$${REDIS_URL:-}" ]; then tasks="Celery on Redis"; else tasks="tasks in-process"; fi; \
	line="Tests on $$db with $$tasks"; \
	if ! command -v chromium >/dev/null 2>&1; then line="$$line; browser tests need the chromium package"; fi; \
	echo "$$line"
	'$(PY)' -m pytest $(PYTEST_ARGS)

lint: $(STAMP) | var
	'$(VENV)/bin/ruff' check .
	'$(VENV)/bin/ruff' format --check .
	'$(VENV)/bin/djlint' templates --lint
	DJANGO_DEBUG=1 '$(PY)' manage.py makemigrations --check --dry-run
	@echo "bandit: no medium or high findings (each suppression carries its reason inline)"
	'$(VENV)/bin/bandit' -q -r . -x ./.venv,./tests,./var,./bench -ll

format: $(STAMP)
	'$(VENV)/bin/ruff' format .
	'$(VENV)/bin/ruff' check --fix .

migrate: $(STAMP) | var
	DJANGO_DEBUG="$${DJANGO_DEBUG:-1}" '$(PY)' manage.py migrate --noinput

seed: $(STAMP) | var
	DJANGO_DEBUG="$${DJANGO_DEBUG:-1}" '$(PY)' manage.py seed_demo

worker: $(STAMP) | var
	DJANGO_DEBUG="$${DJANGO_DEBUG:-1}" '$(VENV)/bin/celery' -A socialpolicy worker -l info

beat: $(STAMP) | var
	DJANGO_DEBUG="$${DJANGO_DEBUG:-1}" '$(VENV)/bin/celery' -A socialpolicy beat -l info --schedule var/celerybeat-schedule

check-deploy: $(STAMP) | var
	@echo "manage.py check --deploy with DJANGO_DEBUG=0, a generated key, DJANGO_ALLOWED_HOSTS=portal.example.org" \
		"and PORTAL_SMTP_HOST=smtp.example.org"
	@DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$$('$(PY)' -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=portal.example.org \
	PORTAL_SMTP_HOST=smtp.example.org \
	'$(PY)' manage.py check --deploy --fail-level WARNING

# Recreates BENCH_DATABASE_URL (only that database), seeds it and measures; see bench/run.py.
bench: $(STAMP) | var
	'$(PY)' bench/run.py $(BENCH_ARGS)

backup: | var
	@bash scripts/backup.sh backup $(FILE)

restore:
	@bash scripts/backup.sh restore $(FILE)

clean:
	rm -rf var .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . \( -path ./.git -o -path './$(VENV)' \) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf '$(VENV)'
