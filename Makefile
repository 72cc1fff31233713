# Mặt trận — two commands: `make run` (set up and serve the demo) and `make test` (set up and run the suite).
# Needs only python3 (3.11+) and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1
WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run serve setup test lint check bench lock demo clean help

help:
	@echo "make run    — cài đặt, nạp dữ liệu trình diễn và chạy tại http://$(HOST):$(PORT)"
	@echo "make test   — cài đặt và chạy toàn bộ kiểm thử"
	@echo "make lint   — ruff, mypy, makemigrations --check"
	@echo "make bench  — đo hiệu năng (bench/)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Cần Python 3.11 trở lên")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.dev-installed: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime-installed

setup: $(VENV)/.runtime-installed
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_admin_units
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

demo: setup
	$(BIN)/python manage.py load_demo --yes-load-demo-accounts

run: demo serve

serve:
	@echo ""
	@echo "  Mặt trận đang chạy tại  http://$(HOST):$(PORT)/"
	@echo "  Khu làm việc:           http://$(HOST):$(PORT)/quan-ly/"
	@$(BIN)/python manage.py load_demo --list-accounts
	@echo ""
	@# The background worker (statement imports) runs beside granian and stops with it (Ctrl-C or granian exiting).
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	MATTRAN_DEMO=1 $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) --blocking-threads 2 \
		--no-ws --log-level warning config.wsgi:application

test: $(VENV)/.dev-installed
	$(BIN)/pytest $(PYTEST_ARGS)

# No `ruff format --check`: most files are not ruff-formatted yet; turning it on means reformatting every app in
# one coordinated commit, not while the apps are being written.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/mypy mattran config bench
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint test

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench $(BENCH_ARGS)

lock: $(BIN)/python
	@echo "Edit requirements*.lock by hand (pinned ==) and run: $(BIN)/pip install -r requirements-dev.lock && $(BIN)/pip check"

clean:
	rm -rf var staticfiles .pytest_cache .mypy_cache .ruff_cache
