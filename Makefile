# Wangge: `make run` sets everything up and serves the demo; `make test` sets up and runs every test.
# Each step installs only what is missing, so running either again is quick.

SHELL := /bin/bash
.DEFAULT_GOAL := help
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
PY := $(VENV)/bin/python
export SPATIALITE_LIBRARY_PATH ?= mod_spatialite

APT_RUN := libsqlite3-mod-spatialite python3 python3-venv fonts-wqy-microhei
APT_TEST := postgresql postgresql-postgis chromium nginx fonts-wqy-microhei

.PHONY: help run serve deps deps-system deps-test build migrate demo test test-python test-api test-browser test-frontend lint bench bench-crash api-types api-types-check clean

help:
	@echo "make run    install what is missing, build, migrate, load the demo data and serve on http://127.0.0.1:8000"
	@echo "make test   install what is missing and run every test (SQLite + SpatiaLite and PostgreSQL + PostGIS,"
	@echo "            front-end unit tests, browser tests in headless Chromium)"
	@echo "make test-api      only the API and domain tests (both engines, no browser, no front-end build)"
	@echo "make test-browser  only the browser tests (one engine's server, see tests/browser/conftest.py)"
	@echo "make lint   ruff"
	@echo "make bench  run the benchmarks and write docs/benchmarks.md"
	@echo "make bench-crash  kill -9 the web workers and the worker during a stream of submissions (PostgreSQL)"
	@echo "make api-types    regenerate frontend/src/api/schema.d.ts from the backend's OpenAPI (commit it)"

# --- system packages (Debian) ------------------------------------------------------------------------------------
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps-system:
	$(call apt_ensure,$(APT_RUN))
	@# Node.js may come from Debian or from elsewhere (NodeSource bundles npm in its nodejs package).
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js "+process.versions.node+" is too old: the front end needs Node.js 20.19 or newer (https://nodejs.org or NodeSource packages)."); process.exit(1) }'

deps-test: deps-system
	$(call apt_ensure,$(APT_TEST))

# --- Python: a virtual environment from a Python whose sqlite3 can load extensions (SpatiaLite) ---------------------
$(VENV)/.installed: pyproject.toml
	@py=""; for c in /usr/bin/python3.11 /usr/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3 python3.11 python3; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys,sqlite3,venv; assert sys.version_info >= (3,11); sqlite3.connect(":memory:").enable_load_extension(True)' 2>/dev/null; then py=$$c; break; fi; \
	done; \
	if [ -z "$$py" ]; then echo "No Python 3.11+ with loadable SQLite extensions was found: install Debian's python3 and python3-venv (apt-get install python3 python3-venv)."; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$py"; rm -rf $(VENV) && $$py -m venv $(VENV) || exit 1; \
	fi; \
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip && \
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev]' && \
	$(PY) -c 'import wangge, fastapi, geoalchemy2, playwright' && touch $@

# --- front end --------------------------------------------------------------------------------------------------
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/package.json
frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	cd frontend && npm run build:only --silent
	@touch $@

# The type check (vue-tsc) is a step of its own so that it runs beside the build (`npm run build` does both in turn).
.stamps/typecheck: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES) $(wildcard frontend/tsconfig*.json)
	cd frontend && npm run --silent typecheck
	@mkdir -p .stamps && touch $@

# Steps that do not need each other run side by side (-j, each step's output kept together): the Python and the
# front-end installs; the build, the type check, the API types' check and the front end's unit tests.
SIDE_BY_SIDE := $(MAKE) --no-print-directory --output-sync=target
deps: deps-system
	@$(SIDE_BY_SIDE) -j2 $(VENV)/.installed frontend/node_modules/.package-lock.json
build: deps
	@$(SIDE_BY_SIDE) -j2 frontend/dist/index.html .stamps/typecheck

# --- run --------------------------------------------------------------------------------------------------------
migrate: deps
	$(VENV)/bin/wangge migrate

demo: migrate
	$(VENV)/bin/wangge seed-demo

run: build demo
	$(VENV)/bin/wangge serve

serve:
	$(VENV)/bin/wangge serve

# --- tests ------------------------------------------------------------------------------------------------------
# pytest-xdist: two workers more than the cores (at most 4); each starts its own uvicorn servers and PostgreSQL
# cluster, so the tests share nothing across workers. A worker spends about 40 % of its time waiting on its servers,
# browser and cluster, so the extra one keeps the cores busy (2 cores: 11 min 12 s of tests with 2 workers, 9 min 19 s
# with 3, same clean checkout); since the per-test PostgreSQL reset got cheaper, two more than the cores (2 cores: 4
# workers, pytest 9 min 39 s on a clean checkout with another job on the machine; 3 workers took 11 min 45 s with
# more load). TEST_WORKERS=0 runs in one process (e.g. to debug with -x or pdb).
# --dist worksteal: each worker starts with a contiguous share of the ordered tests (so most of them start only the
# servers of one engine), and a worker that runs out takes half of the longest queue left, so that no worker idles
# at the end while another still holds a queue of tests (`load` sent them out in batches fixed in advance).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 2 )))
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal
# Only the browser tests need the built app: the type check, the API types' check and the front end's unit tests run
# beside pytest (their output follows its own; either failing fails `make test`), in the minute when pytest's
# workers mostly wait for their clusters and servers to start.
test: deps-test deps
	@$(SIDE_BY_SIDE) frontend/dist/index.html
	@mkdir -p .stamps; \
	$(SIDE_BY_SIDE) -j3 .stamps/typecheck api-types-check test-frontend >.stamps/checks.log 2>&1 & checks=$$!; \
	$(PYTEST); tests=$$?; wait $$checks; status=$$?; \
	echo "--- type check, API types, front-end unit tests:"; cat .stamps/checks.log; \
	if [ $$status -ne 0 ]; then echo "the front end's checks failed (above)"; fi; \
	exit $$(( tests != 0 ? tests : status ))

test-python: deps-test build
	$(PYTEST)

test-api: deps-test $(VENV)/.installed
	$(PYTEST) -m "not browser"

test-browser: deps-test build
	$(PYTEST) -m browser

test-frontend: deps
	cd frontend && npm test --silent

# The front end's API types are generated from the backend's OpenAPI (openapi-typescript) and committed; `make test`
# fails when they are out of date.
api-types: deps
	cd frontend && npm run --silent gen:api

api-types-check: deps
	cd frontend && npm run --silent check:api

lint: deps
	$(VENV)/bin/ruff check backend tests bench migrations
	$(VENV)/bin/ruff format --check backend tests bench migrations

bench: deps-test build
	$(PY) bench/run.py

bench-crash: deps-test
	$(PY) bench/crash.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .stamps
