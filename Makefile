# consult — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app consult

.PHONY: run test lint install install-test translations bench bench-scale clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The versions in the lock files, exactly; `make lock` refreshes them from pyproject.toml.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	touch $@

LOCK := $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --upgrade
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra test --output-file requirements-test.lock pyproject.toml

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

CATALOGS := $(wildcard consult/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

translations: $(COMPILED)

# Compiled only when a catalog changed, so two test runs side by side never write them at once.
$(COMPILED): %.mo: %.po | $(VENV)/.installed
	$(FLASK) translate compile >/dev/null

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# ruff first: a lint finding fails the run before the suite's minutes are spent.
lint: install-test
	$(BIN)/ruff check .

test: lint translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install translations
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/campaigns.py
	$(BIN)/python bench/analysis.py

clean:
	rm -rf $(VENV) instance .pytest_cache

# Minutes: 1,000,000 comments over 3 consultations in PostgreSQL, then the pages' p50/p99 and the exports.
bench-scale: install translations
	$(BIN)/python bench/scale.py $(BENCH_ARGS)
