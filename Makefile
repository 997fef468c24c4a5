# Two commands on a fresh machine:  make demo   and   make test
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEMO    ?= demo-data

.PHONY: demo test install install-all system-deps lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The demo needs the core package only.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

install: $(STAMP)

# Everything the tests need: core, service, Spark, MLflow, OpenLineage, lakehouse and dev extras.
$(VENV)/.installed-all: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,service,spark,mlflow,openlineage,lakehouse]'
	touch $(STAMP) $@

install-all: $(VENV)/.installed-all

system-deps:
	bash scripts/install-system-deps.sh

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/consentgate demo run --out $(DEMO)

test: system-deps install-all
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

lint: install-all
	$(BIN)/ruff check src tests benchmarks

# Benchmarks: matplotlib in .venv (the `bench` extra); Presidio and datatrove in their own
# virtualenv, $(VENV)/compare, because their pins clash with ours (pydantic).
COMPARE := $(VENV)/compare

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-all
	$(BIN)/pip install -q -e '.[dev,service,spark,lakehouse,bench]'
	touch $@

$(COMPARE)/.installed: benchmarks/requirements-compare.txt | $(BIN)/python
	$(PY) -m venv $(COMPARE)
	$(COMPARE)/bin/pip install -q --upgrade pip
	$(COMPARE)/bin/pip install -q -r benchmarks/requirements-compare.txt
	touch $@

bench: system-deps $(VENV)/.installed-bench $(COMPARE)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) build dist src/*.egg-info .pytest_cache .ruff_cache
