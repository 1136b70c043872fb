# `make run` opens posdesk; `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test screenshots clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/posdesk

test: $(INSTALLED)
	$(BIN)/python -m pytest

screenshots: $(INSTALLED)
	$(BIN)/python screenshots/capture.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
