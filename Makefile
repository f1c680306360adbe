# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck check pytest lock bench clean

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

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=tracker.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tracker.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(VENV)/bin/pytest

test: lint typecheck check pytest ## everything CI checks

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

clean:
	rm -rf var/ tests/artifacts/ .mypy_cache .ruff_cache .pytest_cache

# --- Operations (docs/operations.md) ---------------------------------------------------------
.PHONY: backup restore

backup: $(STAMP) ## one tar (database dump + media + manifest) under BACKUP_DIR (var/backups/)
	$(PY) manage.py backup

restore: $(STAMP) ## make restore FILE=var/backups/tracker-….tar [FORCE=1]: into an empty database
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/tracker-YYYYmmddTHHMMSSZ.tar [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force,)
