# `make run` opens posdesk; `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test screenshots bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/posdesk

test: $(INSTALLED)
	$(BIN)/python -m pytest

# Figures, not a pass/fail: prints a table and writes tests/benchmarks/RESULTS.md.
bench: $(INSTALLED)
	$(BIN)/python tests/benchmarks/bench.py

screenshots: $(INSTALLED)
	$(BIN)/python screenshots/capture.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
