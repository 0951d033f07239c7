# Amends: `make run` to try it, `make test` to run the suite. `make help` lists everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ifeq ($(origin PYTHON), undefined)
PYTHON := $(shell for candidate in python3.12 python3.13 python3.14 python3; do command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo $$candidate && break; done)
endif
PORT ?= 8000
# The server, the demo loader (which prints the participant's link) and the task worker (which sends emails) all read
# PORT, so that links follow the port served unless AMENDS_BASE_URL says otherwise.
export PORT
# Test processes in parallel (pytest-xdist); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STATIC_CSS := amends/core/static/amends/amends.css

.PHONY: help run test check lint format format-check typecheck messages translations demo-code setup clean prerequisites bench

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

prerequisites:
	@test -n "$(PYTHON)" && command -v $(PYTHON) >/dev/null 2>&1 && $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
		|| { echo "Amends needs Python 3.12 or newer, found neither as python3.12, python3.13, python3.14 nor python3. Install it (for example 'pyenv install 3.12' in this folder, which has .python-version), or run with PYTHON=/path/to/python3.12."; exit 1; }
	@command -v node >/dev/null 2>&1 && node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' \
		|| { echo "Amends needs Node.js 20 or newer (with npm) to build GOV.UK Frontend. Install it from your package manager or nodejs.org."; exit 1; }
	@command -v msgfmt >/dev/null 2>&1 \
		|| { echo "Amends needs GNU gettext (msgfmt) for the Welsh translations: install the 'gettext' package."; exit 1; }

$(BIN)/.installed: requirements.lock pyproject.toml | prerequisites
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

frontend/node_modules/.installed: frontend/package-lock.json | prerequisites
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_CSS): frontend/node_modules/.installed $(wildcard frontend/scss/*.scss frontend/js/*.mjs frontend/copy-assets.mjs)
	cd frontend && npm run --silent build

compiled-messages: $(BIN)/.installed $(wildcard locale/*/LC_MESSAGES/*.po locale_vendor/*/LC_MESSAGES/*.po)
	$(MANAGE) compilemessages --ignore=.venv --ignore=frontend -v 0
	@touch $@

setup: $(BIN)/.installed $(STATIC_CSS) compiled-messages ## Install everything the project needs (idempotent)

run: setup ## Start Amends at http://127.0.0.1:8000 (PORT=8001 to change, links follow) with the demo service loaded, and its task worker
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	@echo
	@echo "Amends is starting at http://127.0.0.1:$(PORT)/  (Welsh: http://127.0.0.1:$(PORT)/cy/). Stop it with Ctrl+C."
	@# The task worker prepares long exports in the background; it stops when the server stops.
	@$(MANAGE) db_worker --no-reload --no-startup-delay & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

test: setup ## Run the whole test suite (browser tests skip if Chromium is missing)
	$(BIN)/pytest -n $(TEST_WORKERS)

format: setup ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

format-check: setup
	$(BIN)/ruff format --check .

lint: setup ## Lint: ruff, and the rule that views reach sensitive records only through access helpers
	$(BIN)/ruff check .
	$(BIN)/python scripts/lint_access.py

typecheck: setup ## Type-check with mypy (strict on amends/)
	$(BIN)/mypy

check: format-check lint typecheck test ## Format check, lint, types and tests: what CI runs

bench: setup ## Time the service dashboard against hand-written SQL on a synthetic service (CASES=100000; see docs/bench.md)
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) bench_figures $(if $(CASES),--cases $(CASES),)

messages: setup ## Update the English and Welsh message catalogues after changing strings
	$(MANAGE) makemessages --locale=cy --ignore=.venv --ignore=frontend --ignore=tests --ignore=var --no-obsolete

demo-code: setup ## Print the demo accounts' current six-digit sign-in code
	@$(MANAGE) demo_code

clean: ## Remove the virtualenv, built assets and the local database
	rm -rf $(VENV) frontend/node_modules amends/core/static/amends staticfiles var compiled-messages
