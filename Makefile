# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# pytest-xdist workers for `make test`: one per core, at most 4 (each worker has its own test
# database and, in the browser tests, its own chromium; past 4 they wait on the database).
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n > 4 ? 4 : n )))

.PHONY: run test install lint typecheck layers check pytest lock bench fuzz clean audit db-stop db-reset

$(STAMP): requirements-dev.txt requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip check
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

run: $(STAMP) ## migrate, load the demo data, start web + worker + beat
	$(PY) scripts/dev_run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy .

layers: $(STAMP) ## import-linter: the apps' layers (pyproject.toml [tool.importlinter])
	$(VENV)/bin/lint-imports

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=tracker.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tracker.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

test: lint typecheck layers check pytest ## everything CI checks

lock: ## re-pin requirements*.txt from pyproject.toml (needs uv)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml -q --no-header --python-version 3.11 -o requirements.txt
	$(VENV)/bin/uv pip compile pyproject.toml -q --no-header --python-version 3.11 --extra dev -o requirements-dev.txt

bench: $(STAMP) ## the benchmarks behind docs/performance.md (needs PostgreSQL and Redis)
	@command -v wrk >/dev/null 2>&1 || { echo "installing Debian's wrk (the load generator)"; \
		$(if $(filter 0,$(shell id -u)),,sudo -n) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends wrk; }
	$(PY) bench/run_all.py
	$(PY) bench/reminders_sweep.py

audit: $(STAMP) ## pip-audit of the pinned requirements; says so plainly when it cannot (not in CI)
	$(PY) scripts/audit.py

# Not part of `make test`: minutes, not seconds. FUZZ_EXAMPLES per operation (150: over 5,000
# cases); the summary goes to tests/artifacts/fuzz-summary.json, the last result to docs/api.md.
fuzz: $(STAMP) ## schemathesis: 5,000+ generated requests against the API schema with a token
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-150} $(VENV)/bin/pytest -p no:randomly -q --maxfail=1000 \
		tests/test_schemathesis.py -k test_api_conforms_to_its_schema

db-stop: $(STAMP) ## stop the embedded PostgreSQL if something left it running
	$(PY) -m tracker.settings.embedded_postgres stop

db-reset: db-stop ## delete the embedded database (the next make run starts from the demo data)
	rm -rf var/postgres/

clean:
	rm -rf var/ tests/artifacts/ .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
	rm -rf var/ tests/artifacts/ .mypy_cache .ruff_cache .pytest_cache

# --- Operations (docs/operations.md) ---------------------------------------------------------
.PHONY: backup restore

backup: $(STAMP) ## one tar (database dump + media + manifest) under BACKUP_DIR (var/backups/)
	$(PY) manage.py backup

restore: $(STAMP) ## make restore FILE=var/backups/tracker-….tar [FORCE=1]: into an empty database
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/tracker-YYYYmmddTHHMMSSZ.tar [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force,)
