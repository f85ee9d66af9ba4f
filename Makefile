# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
# The first Python 3.11+ that actually runs (pyenv shims can exist for versions that are not active).
ifndef PYTHON
PYTHON := $(shell for candidate in python3.13 python3.12 python3.11 python3; do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$candidate; break; }; \
	done)
endif
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test lint format check-python install install-dev clean bench eval-ingest

check-python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed; none found. Set PYTHON=/path/to/python3.11."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11.")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The local settings file: .env.example with DEBUG on and a freshly generated secret key, readable by its owner
# alone. Made only when there is none (no prerequisite, so a newer .env.example never overwrites it); git ignores it.
.env: | $(BIN)/python
	@umask 077 && key=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') && \
		sed -e 's/^DJANGO_DEBUG=.*/DJANGO_DEBUG=1/' -e "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$$key/" \
		.env.example > $@.tmp && mv $@.tmp $@
	@echo "Created .env from .env.example for local development (DJANGO_DEBUG=1, a new DJANGO_SECRET_KEY). It is yours: edit it, git ignores it."

# Runs a server ($(1)) with the background-task worker beside it, and stops both together, each signalled once:
# Ctrl+C reaches the worker from the terminal itself (the worker handles it: it finishes or rolls back its task),
# and the trap passes it on to the server, which ignores it as a background command; a TERM sent to make is
# passed on to both. When the server ends by itself, the worker is stopped too. The worker does not reload on code
# changes (a reload would cut a running import short): restart `make run` after changing a task.
define beside_the_worker
$(MANAGE) db_worker --no-startup-delay --no-reload & worker=$$!; $(1) & server=$$!; \
	trap 'kill -TERM $$server 2>/dev/null; stopping=1' INT; \
	trap 'kill -TERM $$server $$worker 2>/dev/null; stopping=1' TERM; \
	wait $$server; status=$$?; [ -n "$$stopping" ] || kill -TERM $$worker 2>/dev/null; wait; exit $$status
endef

# Local development server on SQLite with the seed report loaded into an empty database.
run: export DJANGO_DEBUG ?= 1
run: install .env
	$(MANAGE) compile_catalogues
	$(MANAGE) migrate --noinput
	$(MANAGE) load_initial_data --if-empty
	$(MANAGE) ensure_local_admin --url http://127.0.0.1:$(PORT)/admin/
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/). Stop with Ctrl+C."
	@echo "A background worker runs the admin's CBP imports beside it (manage.py db_worker)."
	$(call beside_the_worker,$(MANAGE) runserver 127.0.0.1:$(PORT))

# Production-like, on 127.0.0.1: DEBUG off, gunicorn (config/gunicorn.conf.py), hashed and compressed static files
# served by WhiteNoise, SQLite unless DATABASE_URL says otherwise. Plain HTTP on the loopback, so the redirect to
# HTTPS is off; cookies stay Secure, which browsers accept from localhost. It needs DJANGO_SECRET_KEY (in the
# environment or .env, which `make run` writes) and refuses to start without it, as production does.
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export PORT := $(PORT)
serve: install
	$(MANAGE) compile_catalogues
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) load_initial_data --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)/ with DEBUG off (health: /healthz). Stop with Ctrl+C."
	@echo "No admin account is made here: use 'make run' once, or '$(MANAGE) createsuperuser'."
	$(call beside_the_worker,$(BIN)/gunicorn --config config/gunicorn.conf.py)

# The suite reads its settings from config/test_settings.py, never from a local .env.
test: export DJANGO_SETTINGS_MODULE = config.test_settings
test: install-dev lint
	$(MANAGE) compile_catalogues
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest --numprocesses auto --dist worksteal

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Speed and peak memory of CBP encounter imports (bench/bench_import.py), on throwaway databases: a SQLite file
# in a temporary directory, then a PostgreSQL database the script creates and drops (BENCH_POSTGRES_URL); search
# latency at 100,000 briefings (bench/bench_search.py); gunicorn under load from wrk (bench/bench_load.py); the
# admin used by many at once, and a 1.6M-row upload run as a job, on SQLite and PostgreSQL (bench/bench_admin.py).
BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bench_briefings
bench: export DJANGO_SECRET_KEY ?= insecure-key-for-the-benchmark-only
bench: export DJANGO_DEBUG = 0
bench: install-dev
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		DATABASE_URL="sqlite:///$$tmp/bench.sqlite3" $(BIN)/python bench/bench_import.py
	DATABASE_URL="$(BENCH_POSTGRES_URL)" $(BIN)/python bench/bench_import.py --create-database
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search $(BIN)/python bench/bench_search.py --create-database
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		DATABASE_URL="sqlite:///$$tmp/render.sqlite3" $(BIN)/python bench/bench_render.py
	@command -v wrk >/dev/null || { echo "== installing wrk (the load generator)"; \
		sudo=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$sudo apt-get install -y --no-install-recommends wrk >/dev/null 2>&1 || \
		{ $$sudo apt-get update -q && $$sudo apt-get install -y --no-install-recommends wrk; }; }
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_admin.py
	$(BIN)/python bench/bench_admin.py --database-url postgres://postgres@127.0.0.1:5432/bench_admin

# The ingest assistant scored against the hand-labelled texts of tests/data/ingest/ (README there): precision and
# recall per kind, anchors, values, ceilings and speakers, the issue's goals on the unseen texts, and its speed.
eval-ingest: export DJANGO_SETTINGS_MODULE = config.test_settings
eval-ingest: install-dev
	$(MANAGE) evaluate_ingest tests/data/ingest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
