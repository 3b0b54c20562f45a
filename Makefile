# The two commands: `make run` (the pipeline on the bundled sample feed) and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
PIP     := $(VENV)/bin/pip
MARSAD  := $(VENV)/bin/marsad
PYTEST  := $(VENV)/bin/pytest

.PHONY: install run test unit integration stack-up stack-down lint clean-var

install: $(VENV)/.installed

# camel-tools goes in with --no-deps: its declared torch/transformers are only for the
# BERT models (the `bert` extra); its light dependencies are in pyproject.toml.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -e '.[dev]'
	$(PIP) install -q --no-deps camel-tools==1.6.0
	@touch $@

run: install
	$(MARSAD) run

# Installs, starts the local stack, runs unit and integration tests, stops the stack
# (also when a test fails). Pytest's "no tests collected" (exit 5) fails the run.
test: install
	@trap '$(MARSAD) stack down' EXIT; \
	$(MARSAD) stack up && MARSAD_REQUIRE_STACK=1 $(PYTEST) -q -p no:cacheprovider

unit: install
	$(PYTEST) -q -m "not integration" tests/unit

integration: install
	MARSAD_REQUIRE_STACK=1 $(PYTEST) -q -m integration

stack-up: install
	$(MARSAD) stack up

stack-down: install
	$(MARSAD) stack down

lint: install
	$(VENV)/bin/ruff check marsad agents streams tests
	$(VENV)/bin/mypy marsad

clean-var:
	rm -rf var
