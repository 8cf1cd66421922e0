# The two entry points: `make demo` and `make test`. The first use creates .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint train bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/replydesk demo

lint: $(STAMP)
	$(BIN)/ruff check functions models tests benchmarks
	$(BIN)/cfn-lint template.yaml

test: lint
	$(BIN)/python -m pytest -q

train: $(STAMP)
	$(BIN)/replydesk train

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
