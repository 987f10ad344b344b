# bedrock-gen developer commands. Every target sets up .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := examples/port-specific-models/bedrock-gen.yaml

.PHONY: help venv demo test lint examples bench clean

help:
	@echo "make demo      set up .venv and render Port's example policy into demo/"
	@echo "make test      set up .venv and run the test suite"
	@echo "make lint      ruff and mypy"
	@echo "make examples  re-render every example's checked-in output"
	@echo "make bench     time bedrock-gen against its peers; writes bench/results.md"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/bedrock-gen validate $(DEMO)
	$(BIN)/bedrock-gen render $(DEMO) --output demo
	@echo; echo "--- demo/iam/bedrock-invoke-policy.json"; cat demo/iam/bedrock-invoke-policy.json
	$(BIN)/bedrock-gen render --check examples/*/bedrock-gen.yaml

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy

examples: $(STAMP)
	for config in examples/*/bedrock-gen.yaml; do $(BIN)/bedrock-gen render "$$config" || exit 1; done

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) demo build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
