# consult — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app consult

.PHONY: run test install install-test translations bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

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

test: install-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install translations
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/campaigns.py

clean:
	rm -rf $(VENV) instance .pytest_cache
