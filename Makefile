# The README's commands. Every target bootstraps what it needs, idempotently:
# .venv with the pinned Python packages, and a Pulumi CLI and the YAML language host in .venv/bin.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Offline, non-interactive Pulumi: no update check, no plugin downloads.
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_SKIP_CONFIRMATIONS := true
export PATH := $(VENV)/bin:$(PATH)
# mypy's cache lives outside the clone, like the CLI's: a fresh clone checks only what changed
# (mypy validates each cached module by its content's hash, wherever the clone is).
export MYPY_CACHE_DIR ?= $(HOME)/.cache/pulumi-aws-forecast/mypy
# `make test` runs the suite on this many pytest-xdist workers: the end-to-end tests mostly wait on
# the CLI's processes and the emulator's clock, so more workers than cores keep both cores busy.
TEST_WORKERS ?= 3

.PHONY: help bootstrap venv pulumi matrix generate sdk typecheck acceptance lint test test-unit test-emulator test-e2e demo demo-down bench soak lock clean

help:
	@echo "make demo   start the local Forecast emulator and deploy the quickstart stack to it"
	@echo "make test   ruff, mypy and the whole test suite (unit, emulator, end-to-end)"
	@echo "make generate  regenerate the resource classes, README tables and schema.json from _schema.py"
	@echo "make sdk    regenerate the plugin's TypeScript, Python and Go SDKs (sdk/) from schema.json"
	@echo "make typecheck  compile the TypeScript and Go SDKs and examples (tsc, go build)"
	@echo "make bench  benchmarks against the emulator (ratios against a baseline)"
	@echo "make soak   the long fault and load scenarios"
	@echo "make acceptance  the e2e tests against a real AWS account (see the README)"
	@echo "make clean  remove .venv and local state (the Pulumi CLI cache stays)"

bootstrap: venv pulumi

venv: $(STAMP)

# Both distributions, editable: the provider (./pyproject.toml) and the emulator (emulator/); and the
# plugin's generated Python SDK (sdk/python), which the e2e tests deploy a program over.
EDITABLES := -e '.[dev]' -e ./emulator -e ./sdk/python

$(STAMP): pyproject.toml emulator/pyproject.toml sdk/python/pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt $(EDITABLES)
	@touch $@

# The CLI and the language hosts it runs here (Python: ours; YAML: pulumi-yaml's), each built
# once into the cache outside the clone and linked into .venv/bin.
pulumi: $(STAMP)
	@tools/pulumi/install.sh $(VENV)/bin
	@tools/pulumi-yaml/install.sh $(VENV)/bin
	@$(VENV)/bin/pulumi version

# The compatibility matrix's virtualenvs (tests/matrix.toml), cached outside the clone.
matrix: venv
	$(PY) -m tests.matrix build

# The resource classes, the README's reference tables and the plugin's schema.json, from
# provider/pulumi_aws_forecast/_schema.py (tools/codegen.py: a development tool, not in the shipped package).
generate: venv
	$(PY) -m tools.codegen

# The provider plugin's SDKs (sdk/nodejs, sdk/python, sdk/go), from schema.json, with Pulumi's code
# generators (tools/sdkgen, built once into the cache outside the clone).
sdk: generate
	tools/sdkgen/generate.sh

# The TypeScript SDK and example type-check with tsc (npm packages pinned in tools/typescript,
# installed into the cache outside the clone); the Go example builds against the Go SDK.
typecheck:
	tools/typescript/check.sh
	cd examples/go && GOFLAGS=-mod=readonly go build -o /dev/null .
	@echo "go build: examples/go and sdk/go build"

lint: venv
	$(PY) -m tools.codegen --check
	tools/sdkgen/generate.sh --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: bootstrap lint typecheck matrix
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup

test-unit: venv
	$(VENV)/bin/pytest tests/unit

test-emulator: venv
	$(VENV)/bin/pytest tests/emulator

test-e2e: bootstrap matrix
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup tests/e2e

demo: bootstrap
	$(PY) -m examples.quickstart.demo

demo-down: bootstrap
	$(PY) -m examples.quickstart.demo --down

# `make bench ONLY=big,table` runs some scenarios (see `python -m bench --help`), merging their figures
# into bench/RESULTS.json; NOTE="..." adds a remark on the run. `python -m bench --render` rewrites
# bench/RESULTS.md from bench/RESULTS.json.
bench: bootstrap
	$(PY) -m bench --write bench/RESULTS.md --json bench/RESULTS.json \
	  $(if $(wildcard bench/before.json),--baseline bench/before.json) $(if $(ONLY),--only $(ONLY)) \
	  $(if $(NOTE),--note "$(NOTE)")

soak: bootstrap
	$(VENV)/bin/pytest -m soak tests -s

# The e2e tests against a real AWS account (see the README): the environment names the account's
# parents, bucket and role; without them this says what is missing and fails.
acceptance: bootstrap
	$(PY) -m tests.e2e.acceptance
	FORECAST_ACCEPTANCE=1 $(VENV)/bin/pytest tests/e2e -m "not emulator and not soak"

# Re-resolve every Python dependency and rewrite the exact pins (development only: the
# distributions declare ranges).
lock:
	rm -rf /tmp/pulumi-aws-forecast-lock && $(PYTHON) -m venv /tmp/pulumi-aws-forecast-lock
	/tmp/pulumi-aws-forecast-lock/bin/pip install --quiet --upgrade pip
	/tmp/pulumi-aws-forecast-lock/bin/pip install --quiet $(EDITABLES)
	{ echo '# Exact pins for every Python package the project installs into .venv.'; \
	  echo '# Regenerate with `make lock` after changing pyproject.toml.'; \
	  /tmp/pulumi-aws-forecast-lock/bin/pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
