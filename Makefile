# Nora social. `make run` for a demo on http://127.0.0.1:8000, `make test` for the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/nora_social
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# DEBUG is off unless set: development and tests ask for it.
DEV_ENV := DEBUG=true
TEST_ENV := DEBUG=true NORA_TESTING=true DJANGO_ALLOW_ASYNC_UNSAFE=true CELERY_BROKER_URL=$(TEST_REDIS_URL) NORA_DEV_FAST_SWEEP=false

.PHONY: run test test-templates test-sqlite test-postgres lint format messages system-deps test-deps search-dict bench bench-deps clean audit audit-packages audit-code

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

venv: $(VENV)/.installed

# Debian packages the tests and PDFs need: Chromium for Playwright, xmlsec1 for SAML
# signatures (pysaml2), gettext for
# translations, Pango and fonts for WeasyPrint. Installed when missing, as root.
DEBIAN_PACKAGES := chromium gettext xmlsec1 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# The Swedish hunspell dictionary for the register's search (archive/register/search.py):
# Debian's hunspell-sv, in PostgreSQL's tsearch_data as sv_se.dict/sv_se.affix
# (UTF-8). postgresql-common links them itself (pg_updatedicts); otherwise copied.
search-dict:
	@if ! dpkg -s hunspell-sv >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing: hunspell-sv"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-sv >/dev/null; \
	  else echo "Missing Debian package: hunspell-sv (run as root, or: sudo apt-get install hunspell-sv)"; exit 0; fi; \
	fi; \
	for dir in $$(pg_config --sharedir 2>/dev/null) /usr/share/postgresql/*; do \
	  [ -d "$$dir/tsearch_data" ] || continue; \
	  [ -s "$$dir/tsearch_data/sv_se.dict" ] && [ -s "$$dir/tsearch_data/sv_se.affix" ] && continue; \
	  if [ "$$(id -u)" = 0 ]; then \
	    rm -f "$$dir/tsearch_data/sv_se.dict" "$$dir/tsearch_data/sv_se.affix"; \
	    iconv -f "$$(sed -n 's/^SET //p' /usr/share/hunspell/sv_SE.aff | tr -d '\r' || echo UTF-8)" -t UTF-8 /usr/share/hunspell/sv_SE.dic > "$$dir/tsearch_data/sv_se.dict"; \
	    iconv -f "$$(sed -n 's/^SET //p' /usr/share/hunspell/sv_SE.aff | tr -d '\r' || echo UTF-8)" -t UTF-8 /usr/share/hunspell/sv_SE.aff > "$$dir/tsearch_data/sv_se.affix"; \
	    echo "Swedish dictionary copied to $$dir/tsearch_data"; \
	  else echo "Copy the Swedish dictionary into $$dir/tsearch_data as root (make search-dict)"; fi; \
	done

system-deps: search-dict
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; fi; \
	fi

# The OpenID Connect provider the sign-on tests start (npm package oidc-provider,
# locked in tests/idp/package-lock.json; tests/idp/node_modules is not committed).
test-deps: tests/idp/node_modules/.installed
tests/idp/node_modules/.installed: tests/idp/package-lock.json
	@# Node.js may come from elsewhere than Debian (NodeSource ships npm inside its
	@# nodejs package): install Debian's only when the commands are missing.
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing: nodejs npm"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "Node.js and npm are needed for the sign-on tests (sudo apt-get install nodejs npm)"; exit 1; fi; }
	cd tests/idp && npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: venv
	@if ! command -v msgfmt >/dev/null; then echo "gettext missing: English translations not compiled"; \
	elif [ -d locale ]; then $(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

# NORA_DEMO: DEBUG's conveniences with the app's own 404/500 pages (nora_social/middleware.py).
run: export NORA_DEMO = true
run: venv messages
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo "Starting the Celery worker with embedded beat (file-system broker under var/celery)."
	@$(DEV_ENV) $(VENV)/bin/celery -A nora_social worker --beat --pool=solo --loglevel=INFO --logfile=var/celery.log & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Two processes (pytest-xdist), one test database each; the browser tests run in
# two groups of whole files, one browser per process at a time (tests/e2e/conftest.py). The SQLite pass runs what differs by
# backend (marker both_backends, tests/conftest.py); PostgreSQL runs everything.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup --durations=20

test: venv system-deps test-deps messages lint
	@start=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory test-templates || status=1; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	took=$$(( $$(date +%s) - start )); \
	echo "make test: both passes took $$((took / 60)) min $$((took % 60)) s"; exit $$status

# Each engine's migrated database, made once per state of the migrations and
# copied by every test database (tests/migrated.py): both at once, a core each.
test-templates: venv
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(TEST_ENV) $(PY) -m tests.migrated

test-sqlite: venv
	@echo "== SQLite: the tests whose code path differs by backend =="
	env -u DATABASE_URL $(TEST_ENV) $(PYTEST) -m "both_backends and not e2e"

test-postgres: venv
	@echo "== Whole test suite on PostgreSQL, with Redis, a Celery worker and Chromium =="
	DATABASE_URL=$(TEST_DATABASE_URL) $(TEST_ENV) $(PYTEST)

# The settings module reads NORA_TESTING to import without production secrets.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	NORA_TESTING=true $(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Supply chain (README "Säkerhet"): pip-audit checks the locked packages against
# PyPI's advisory service (needs the network; installs nothing), bandit checks our
# code. --strict: a package that could not be checked fails, never a silent pass.
AUDIT_DIRS := $(wildcard accounts channels_registry nora_social activity_plans moderation archive)
audit: audit-packages audit-code

audit-packages: venv
	@echo "== pip-audit: requirements.lock =="
	$(VENV)/bin/pip-audit -r requirements.lock --require-hashes --disable-pip --strict --progress-spinner off

# Each finding is fixed or justified in place (.bandit): CI fails on a new one.
audit-code: venv
	@echo "== bandit: $(AUDIT_DIRS) =="
	$(VENV)/bin/bandit -r $(AUDIT_DIRS) -c .bandit -q

# Benchmarks (README "Prestanda"): each prints its figures, its baseline from the
# same run and the target. PostgreSQL and Redis must run; data is generated with a
# fixed seed into databases nora_bench_* (never committed). wrk is installed as root.
BENCH_ENV := DEBUG=true BENCH_PG=postgres://postgres@127.0.0.1:5432 BENCH_REDIS=redis://127.0.0.1:6379/14
bench-deps: search-dict
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing: wrk"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "Missing Debian package: wrk (run as root, or: sudo apt-get install wrk)"; exit 1; fi; }

# capture_scale at --scale 0.1: 1,000,000 captured objects on 50 accounts (--scale 1.0 = 10 M).
bench: venv bench-deps
	$(BENCH_ENV) $(PY) bench/public_list.py
	$(BENCH_ENV) $(PY) bench/queries.py
	$(BENCH_ENV) $(PY) bench/search.py
	$(BENCH_ENV) $(PY) bench/sweep.py
	$(BENCH_ENV) $(PY) bench/snapshots.py
	$(BENCH_ENV) $(PY) bench/report.py
	$(BENCH_ENV) $(PY) bench/capture.py
	$(BENCH_ENV) $(PY) bench/account_import.py
	$(BENCH_ENV) $(PY) bench/capture_scale.py --scale 0.1

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
