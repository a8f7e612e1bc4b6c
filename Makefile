# convanim: the two commands a new user types are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench setup system lint clean

## demo: set everything up, then render the default animation into media/
demo: setup
	$(BIN)/convanim render sliding --stride 2 --padding 1

## test: set everything up, then run the linter and the whole test suite (one worker per core)
test: setup
	@scripts/setup_system.sh --browser || echo "warning: Chromium could not be installed; the gallery page test will be skipped"
	$(BIN)/ruff check convmath scenes cli.py tests scripts
	$(BIN)/python -m pytest -q -n auto

## bench: measure speed, size and memory of the renders, and CPU against the floor (not a test)
bench: setup
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/perfbench.py --quick

setup: $(STAMP)

system:
	@scripts/setup_system.sh

$(STAMP): pyproject.toml | system
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

lint: setup
	$(BIN)/ruff check convmath scenes cli.py tests scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
