# Every target creates .venv itself: python3 and make are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test lint fmt types bench install histories lock client clean

# The runtime dependencies come from the lock file (pinned, with hashes); the dev and test extras on top.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet -e '.[dev,test]'
	touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	$(BIN)/crmflow dev

# Coverage over the packages (settings in pyproject.toml); the last lines print the total.
# The checks come first: lint, format and types fail fast, before the slower suite.
test: lint types
	$(BIN)/pytest -n 2 --dist loadfile --cov --cov-report=term:skip-covered

# mypy's settings (strict on workflows, definitions, activities) are in pyproject.toml.
types: $(STAMP)
	$(BIN)/mypy

# ruff's settings (rules, exclusions) are in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

histories: $(STAMP)
	CRMFLOW_RECORD_HISTORIES=1 $(BIN)/pytest tests/test_replay.py -k record

# The image's runtime dependencies, every one pinned with its hashes (the Dockerfile installs exactly these).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --quiet \
		--custom-compile-command 'make lock' -o requirements.lock

# The integrators' Python client (clients/python) from the API's OpenAPI (clients/openapi.json), both committed.
# The generator runs in its own throwaway environment: it pins an older typer than crmflow does.
OPENAPI_PYTHON_CLIENT := openapi-python-client==0.29.1
client: $(STAMP)
	$(BIN)/python -m api.openapi > clients/openapi.json
	$(BIN)/uv tool run --from $(OPENAPI_PYTHON_CLIENT) openapi-python-client generate --path clients/openapi.json \
		--config clients/openapi-python-client.yaml --output-path clients/python --overwrite --meta setup

clean:
	rm -rf $(VENV) var
