# Two commands on a fresh Debian machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: serve test lint typecheck unit pg-deps data-check e2e-deps bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/tonecheck serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check tonecheck tests bench
	$(BIN)/ruff format --check tonecheck tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

data-check: $(STAMP)
	$(BIN)/tonecheck data check data/replies.jsonl
	$(BIN)/tonecheck data check data/register.jsonl

unit: $(STAMP) pg-deps
	$(BIN)/pytest --basetemp=.pytest-tmp -m "not e2e"

# Debian's PostgreSQL: the storage tests start a throwaway server of their own.
pg-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql)

test: lint typecheck data-check e2e-deps js-test unit e2e

# wrk (Debian's package) is the server benchmark's load generator.
bench: $(STAMP) e2e-deps /usr/bin/wrk
	$(BIN)/python bench/run_all.py

/usr/bin/wrk:
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk

clean:
	rm -rf $(VENV) .pytest-tmp .mypy_cache .ruff_cache

# Extension build and browser-test targets live beside the extension.
include extension/extension.mk
