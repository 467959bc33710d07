# Firebreak: `make run` starts everything locally, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
export AWS_DEFAULT_REGION ?= us-east-1

TRAIN_VENV := .venv-train

.PHONY: assets triage-encoder triage-e5 venv run test check lint fmt unit functional package validate-asl drill fuzz bench-coldstart bench-triage bench-playbook bench-spikes bench-mentions bench-pages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

run: venv ## Start the whole system locally (API on :8000, outbox on :8025)
	$(PY) -m firebreak_local $(if $(AT),--at $(AT))

check: venv ## Lint, format check and type check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two workers, each with a stack of its own and one fixed half of the suite (tests/conftest.py).
test: check package validate-asl ## Everything CI runs
	$(VENV)/bin/pytest -n 2 --dist loadgroup

unit: venv
	$(VENV)/bin/pytest tests/unit

functional: venv
	$(VENV)/bin/pytest tests/functional

package: venv ## The deployable template (build/package) and cfn-lint on it
	rm -rf build/package
	$(PY) infra/build_template.py build/resources.merged.json
	$(VENV)/bin/chalice package --merge-template build/resources.merged.json build/package
	$(PY) infra/slim_package.py build/package/deployment.zip
	$(VENV)/bin/cfn-lint build/package/sam.json

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

assets: node_modules/.installed ## Vendor the web app's npm assets (pinned in package.json) with hashed names
	$(PY) infra/vendor_assets.py

validate-asl: node_modules/.installed ## Validate the playbook ASL with an independent validator
	mkdir -p build
	sed 's/$${PlaybookFunctionArn}/arn:aws:lambda:us-east-1:123456789012:function:firebreak-dev-playbook/g' \
		infra/playbook.asl.json > build/playbook.asl.resolved.json
	node_modules/.bin/asl-validator --json-path build/playbook.asl.resolved.json

# AT=2026-12-01T02:30:00Z plays the drill (or `make run`) from that moment, not now.
drill: venv ## Crisis drills against the local stack: lewd post, clumsy post, hack, pile-on
	$(PY) -m firebreak_local.drill $(if $(AT),--at $(AT))

fuzz: venv ## Schemathesis against a fresh local stack (also part of make test)
	$(PY) -m tests.fuzz.run $(if $(FUZZ_SECONDS),--max-time $(FUZZ_SECONDS))

bench-playbook: venv
	$(PY) bench/playbook/run.py

bench-coldstart: venv
	$(PY) bench/coldstart/run.py

bench-triage: venv
	$(PY) bench/triage/run.py

bench-spikes: venv
	$(PY) bench/spikes/run.py

bench-mentions: venv
	$(PY) bench/mentions/run.py

bench-pages: venv ## Every web page's server-side render time (p95) against GET /health
	$(PY) bench/pages/run.py

# Rebuild the English encoder (~15 min on two cores), then fit its stack and
# cascade band with the runtime's own onnxruntime. Needs ../shared/data.
triage-encoder: venv
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r requirements-train.txt
	$(TRAIN_VENV)/bin/python bench/triage/train_encoder.py
	$(PY) bench/triage/calibrate_encoder.py
	$(PY) bench/triage/train_judge.py

# Rebuild the second English reader, multilingual-e5-small (~30 min on two cores), then
# refit the stack and the sentiment mix over both readers. Needs ../shared/data.
triage-e5: venv
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r requirements-train.txt
	$(TRAIN_VENV)/bin/python bench/triage/train_sentiment_encoder.py
	$(PY) bench/triage/calibrate_encoder.py

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
