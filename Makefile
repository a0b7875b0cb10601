# The README's commands. `make demo` and `make test` work on a fresh clone.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py
PYTEST := DJANGO_DEBUG=1 $(BIN)/python -m pytest

.PHONY: install demo test test-sqlite test-postgres bench load soak serve lint demo-passwords clean

$(STAMP): pyproject.toml
	@PY=$$(scripts/find-python) && echo "Using $$PY" && \
	  { [ -x $(BIN)/python ] || "$$PY" -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl+C to stop)"
	$(MANAGE) runserver 127.0.0.1:8000

demo-passwords: $(STAMP)
	$(MANAGE) seed_demo --reset-passwords

# SQLite always; PostgreSQL too when DATABASE_URL points at a server. The two runs go side by
# side (each waits on its database and browser much of the time), which keeps CI short; each
# one's output is shown whole when both are done, and either failing fails `make test`.
test: $(STAMP)
	@if [ -z "$$DATABASE_URL" ]; then \
	  $(MAKE) --no-print-directory test-sqlite || exit $$?; \
	  echo "DATABASE_URL not set: PostgreSQL run skipped (.ci/run sets it)."; \
	else \
	  logs=$$(mktemp -d); \
	  $(MAKE) --no-print-directory test-sqlite > $$logs/sqlite.log 2>&1 & sqlite=$$!; \
	  $(MAKE) --no-print-directory test-postgres > $$logs/postgres.log 2>&1 & postgres=$$!; \
	  wait $$sqlite; sqlite_status=$$?; wait $$postgres; postgres_status=$$?; \
	  cat $$logs/sqlite.log $$logs/postgres.log; rm -rf $$logs; \
	  echo "SQLite: exit $$sqlite_status; PostgreSQL: exit $$postgres_status"; \
	  [ $$sqlite_status -eq 0 ] && [ $$postgres_status -eq 0 ]; \
	fi

test-sqlite: $(STAMP)
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "== tests on PostgreSQL ($$DATABASE_URL) =="
	$(PYTEST) $(PYTEST_ARGS)

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

# Not part of `make test`: minutes of work, figures rather than pass or fail.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Simulated annotators against gunicorn on PostgreSQL (a server at BENCH_POSTGRES, by default
# postgres://postgres@127.0.0.1:5432); fails when a request errs or a write is lost.
load: $(BENCH_STAMP)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

soak: load

# Production on one machine: gunicorn and a task worker on PostgreSQL (README, "Running for a
# real team").
serve: $(STAMP)
	scripts/serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles bench/out
