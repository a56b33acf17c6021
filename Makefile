# Broadsheet task runner. A newcomer needs two targets: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# One public address for the demo's data and for the server answering on PORT:
# canonical links, feeds, sitemaps and citations all name it.
SITE_URL = $${BROADSHEET_SITE_URL:-http://127.0.0.1:$(PORT)}
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint setup system-deps node-deps bench audit lock clean
# The writing editor's script, bundled from frontend/editor/ (decision 0015).
EDITOR_JS := broadsheet/editorial/static/editorial/editor.js

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

demo: setup $(EDITOR_JS)  ## Create the venv, migrate, load the demo site if empty, serve it.
	BROADSHEET_SITE_URL=$(SITE_URL) $(BIN)/broadsheet demo
	BROADSHEET_SITE_URL=$(SITE_URL) $(BIN)/broadsheet serve --port $(PORT)

system-deps:  ## Debian packages the test suite drives for real (Chromium, PostgreSQL, Redis).
	sh scripts/system-deps.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup system-deps node-deps $(EDITOR_JS) lint  ## Everything: lint, import layers, the SQLite suite, the PostgreSQL suite.
	$(BIN)/pytest -n 2 --dist loadfile -m "not (system and postgres)"
	$(BIN)/python -m tests.pgserver run -- $(BIN)/pytest -n 2 --dist loadfile -m postgres

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "node-deps: npm not installed; axe-core tests will skip, make audit cannot run"; fi

node-deps: node_modules/.installed  ## npm tools for browser tests and audits (axe-core, Lighthouse).

$(EDITOR_JS): frontend/editor/*.js package-lock.json | node-deps
	@if command -v npm >/dev/null; then \
	npx --no-install esbuild frontend/editor/main.js --bundle --minify --format=iife \
	  --target=es2020 --log-level=warning --outfile=$@ && echo "editor: built $@"; \
	else echo "editor: npm not installed; the edit page keeps its plain text box"; fi

audit: setup system-deps node-deps  ## Lighthouse scores of every page type of the demo; screenshots.
	$(BIN)/python bench/audit.py

bench: setup system-deps
	$(BIN)/python bench/run.py

lock:  ## Re-pin every dependency after editing pyproject.toml.
	rm -rf /tmp/broadsheet-lock && $(PYTHON) -m venv /tmp/broadsheet-lock
	/tmp/broadsheet-lock/bin/pip install --quiet ".[dev]"
	/tmp/broadsheet-lock/bin/pip freeze --exclude-editable | grep -v '^broadsheet' > requirements.lock

clean:
	rm -rf $(VENV) var/static
