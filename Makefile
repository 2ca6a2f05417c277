# Two entry points for a newcomer: `make demo` and `make test` (each sets up .venv first).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

$(BIN)/sendnlp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

.PHONY: demo test bench model
demo: $(BIN)/sendnlp
	$(BIN)/sendnlp classify examples/example-letter.txt

test: $(BIN)/sendnlp
	$(BIN)/python -m pytest

bench: $(BIN)/sendnlp
	$(BIN)/python benchmarks/run_all.py

model: $(BIN)/sendnlp
	$(BIN)/python train.py
