# Two commands: `make demo` and `make test`. `make install` is the idempotent step both use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser cypher-lint demo test lint format bench screenshots constraints clean

install: $(STAMP)

# The versions the tests passed with (constraints.txt), not whatever is newest.
$(STAMP): pyproject.toml constraints.txt
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# After an upgrade that passed `make test`: pin what is installed now.
constraints:
	@{ sed -n '1,/^# passed/p' constraints.txt; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^coalition-graph-explorer'; } > constraints.new
	@mv constraints.new constraints.txt

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Neo4j's own Cypher front end for tests/test_cypher_lint.py: the pinned npm package,
# installed once from its lock file (again only when the lock file changes).
CYPHER_LINT := tests/cypher_lint
CYPHER_LINT_STAMP := $(CYPHER_LINT)/node_modules/.installed

cypher-lint: $(CYPHER_LINT_STAMP)

$(CYPHER_LINT_STAMP): $(CYPHER_LINT)/package-lock.json
	cd $(CYPHER_LINT) && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $(CYPHER_LINT_STAMP)

demo: install
	$(VENV)/bin/coalition demo

test: install browser cypher-lint
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .

# Every benchmark, full size, results into docs/benchmarks.md (`benchmarks/run.py --help`);
# e.g. `make bench BENCH="--quick load"` for a smoke run of one.
bench: install
	$(PY) benchmarks/run.py $(BENCH)

screenshots: install browser
	$(PY) benchmarks/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
