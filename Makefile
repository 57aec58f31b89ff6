# ordbruk: thin aliases over the `ordbruk` command. `make` alone lists the targets.
# The first call builds .venv from requirements.lock (exact pins) and installs the
# package editable; later calls reuse it until the lock file or pyproject changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.ordbruk-installed
PARAMS ?= params/default.yaml

.DEFAULT_GOAL := help
.PHONY: help setup report test lint format bench clean-outputs

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "ordbruk needs Python 3.11: set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) ## create .venv from requirements.lock and install ordbruk (editable)

report: $(STAMP) ## run every notebook on the default corpus; prints where index.html is
	$(BIN)/ordbruk run --params $(PARAMS)

test: $(STAMP) ## lint (ruff) and test (pytest, notebooks included)
	$(BIN)/ruff check lib tests benchmarks notebooks
	$(BIN)/ruff format --check lib tests benchmarks notebooks
	$(BIN)/pytest

lint: $(STAMP) ## ruff only
	$(BIN)/ruff check lib tests benchmarks notebooks

format: $(STAMP) ## reformat the code with ruff
	$(BIN)/ruff format lib tests benchmarks notebooks

bench: $(STAMP) ## benchmarks on ../shared/corpora (prints figures; skipped where absent; minutes)
	$(BIN)/python benchmarks/bench_prepare.py
	$(BIN)/python benchmarks/bench_terms.py
	$(BIN)/python benchmarks/bench_rhetoric.py
	$(BIN)/python benchmarks/bench_topics.py

clean-outputs: ## remove generated run folders (outputs/) and the corpus cache (.cache/)
	rm -rf outputs/[0-9]* outputs/latest outputs/LATEST outputs/.tmp-* .cache/ordbruk
