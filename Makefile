# bedrock-gen developer commands. Every target sets up .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := examples/port-specific-models/bedrock-gen.yaml

.PHONY: help venv demo test lint format examples checkov bench catalog catalog-extract service-reference clean

help:
	@echo "make demo      set up .venv and render Port's example policy into demo/"
	@echo "make test      set up .venv and run the test suite"
	@echo "make lint      ruff and mypy"
	@echo "make examples  re-render every example's checked-in output"
	@echo "make checkov   install checkov into .venv-checkov (its own venv) and scan every example module"
	@echo "make bench     time bedrock-gen against its peers; writes bench/results.md"
	@echo "make catalog   rebuild generator/bedrock_gen/data/catalog.json from catalog-src/"
	@echo "make catalog-extract PAGES=DIR  re-extract catalog-src/models.json from AWS page snapshots (then make catalog)"

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
	@$(BIN)/python tests/terraform_env.py
	$(BIN)/python -m pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff format --check generator tests bench tools
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format generator tests bench tools

examples: $(STAMP)
	for config in examples/*/bedrock-gen.yaml; do $(BIN)/bedrock-gen render -v "$$config" || exit 1; done

.venv-checkov/bin/checkov:
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install -q checkov

checkov: $(STAMP) .venv-checkov/bin/checkov
	$(BIN)/python -m pytest -q tests/test_checkov.py -n 0

bench: $(STAMP)
	$(BIN)/python bench/bench.py

catalog: $(STAMP)
	$(BIN)/python -m bedrock_gen.catalog.build catalog-src -o generator/bedrock_gen/data/catalog.json

# Maintainers: PAGES is one or more page stores laid out OWNER+NAME/COMMIT/docs/bedrock/latest/
# userguide/*.md (such as /work/aws-pages); CHECKOUT is one or more git work trees of such a
# repository, each OWNER/NAME@COMMIT=DIR. catalog-src/snapshots.json orders the snapshots.
# Same pages, same bytes: nothing here depends on the day or the machine.
catalog-extract: $(STAMP)
	@test -n "$(PAGES)$(CHECKOUT)" || { echo "usage: make catalog-extract PAGES='DIR ...' [CHECKOUT='OWNER/NAME@COMMIT=DIR ...']"; exit 2; }
	$(BIN)/python tools/extract_model_cards.py $(PAGES) $(foreach c,$(CHECKOUT),--checkout $(c)) --snapshots catalog-src/snapshots.json -o catalog-src/models.json
	$(MAKE) catalog

# Maintainers: GIT_DIR is a checkout of dgwhited/servicereference (AWS's Service Authorization
# Reference as JSON); REV the commit to copy (default: its HEAD).
service-reference: $(STAMP)
	@test -n "$(GIT_DIR)" || { echo "usage: make service-reference GIT_DIR=DIR [REV=commit]"; exit 2; }
	$(BIN)/python tools/extract_service_reference.py copy "$(GIT_DIR)" $(if $(REV),--commit $(REV))

clean:
	rm -rf $(VENV) .venv-checkov demo build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
