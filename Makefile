# Two commands: `make run` (serve the portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=portal.settings.test
# The suite runs on pytest-xdist workers, each with its own test database: a count, `auto` (one per CPU),
# or 0 to run serially in one process (`make test PYTEST_WORKERS=0`). The slowest tests are listed at the end.
# On SQLite the migrated test database is kept in var/test-db/ (tests/dbcache.py), rebuilt when a migration changes;
# PORTAL_TEST_DB_CACHE=off migrates afresh in every worker.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --durations=15

.PHONY: run test test-sqlite test-postgres test-multinode multinode load lint check setup setup-test messages bench clean

# Absolute links (mail, the QR code and verification URL printed in issued opinions) follow the address `make run`
# serves on, e.g. `make run PORT=8123`; set PORTAL_BASE_URL yourself when people reach it by another name.
PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

run: setup
	$(BIN)/python manage.py migrate --noinput
	PORTAL_BASE_URL='$(PORTAL_BASE_URL)' $(BIN)/python manage.py seed_demo
	@PORTAL_BASE_URL='$(PORTAL_BASE_URL)' $(BIN)/python manage.py demo_accounts --url '$(PORTAL_BASE_URL)'
	PORTAL_BASE_URL='$(PORTAL_BASE_URL)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup-test lint check test-sqlite test-postgres test-multinode

setup: $(STAMPS)/system-run $(STAMPS)/requirements messages

setup-test: $(STAMPS)/system-test $(STAMPS)/requirements-test messages

$(STAMPS)/system-run: scripts/system-deps.sh
	@mkdir -p $(STAMPS)
	sh scripts/system-deps.sh run
	@touch $@

$(STAMPS)/system-test: scripts/system-deps.sh
	@mkdir -p $(STAMPS)
	sh scripts/system-deps.sh test
	@touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMPS)/requirements: requirements.txt | $(BIN)/python
	@mkdir -p $(STAMPS)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(STAMPS)/requirements-test: requirements.txt requirements-test.txt | $(BIN)/python
	@mkdir -p $(STAMPS)
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@touch $@ $(STAMPS)/requirements

messages:
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check:
	$(TEST_SETTINGS) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite:
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(TEST_SETTINGS) $(PYTEST)

# Runs when PostgreSQL server binaries are on the machine; REQUIRE_POSTGRES=1 (CI) makes their absence an error.
# The browser journeys, the permission matrices and the modules that read the seeded demo run once, on SQLite: the
# journeys drive the same views through Chromium, who may do what is decided in Python, the same on both, and the
# demo's contents do not depend on the database (tests/test_seed_demo.py seeds and checks it on PostgreSQL too, where
# each module would seed it afresh: ~45 s each); what differs between the databases (locking, constraints, ordering,
# full-text search, transactions, query counts) is tested by the rest on both.
test-postgres:
	@echo "== Test suite on PostgreSQL (less the browser journeys, the permission matrices and the demo readers) =="
	@status=0; $(TEST_SETTINGS) scripts/with-postgres.sh $(PYTEST) -m "not browser and not demo_reader" \
	  --ignore=tests/permission_matrix \
	  || status=$$?; \
	if [ $$status -eq 42 ]; then \
	  if [ "$(REQUIRE_POSTGRES)" = "1" ]; then echo "PostgreSQL is required here (REQUIRE_POSTGRES=1)." >&2; exit 1; fi; \
	  echo "Skipping the PostgreSQL run: install the 'postgresql' package to include it."; \
	else exit $$status; fi

# The production topology on loopback: PostgreSQL, Redis, S3 (moto), two gunicorn nodes, the worker and a round-robin
# proxy, and the checks that nothing depends on one process's memory or disk (scripts/multinode.py, about 2 minutes).
# `make test` migrates its database the lean way (--lean-migrate); `make multinode` as a deploy does.
test-multinode:
	@echo "== The multi-node topology (scripts/multinode.py) =="
	@status=0; scripts/with-postgres.sh $(BIN)/python scripts/multinode.py --lean-migrate || status=$$?; \
	if [ $$status -eq 42 ]; then \
	  if [ "$(REQUIRE_POSTGRES)" = "1" ]; then echo "PostgreSQL is required here (REQUIRE_POSTGRES=1)." >&2; exit 1; fi; \
	  echo "Skipping the multi-node run: install the 'postgresql' package to include it."; \
	else exit $$status; fi

multinode: setup-test
	scripts/with-postgres.sh $(BIN)/python scripts/multinode.py $(MULTINODE_ARGS)

# Load with faults on the multi-node set-up behind nginx, with the demo data (scripts/load.py, about 5 minutes; not in
# `make test`): 50 people for 60 s, then 100 s more while PostgreSQL restarts, the worker dies mid-task and a node
# dies. `make load LOAD_ARGS="--users 100 --steady 120"` for other sizes.
load: setup-test
	sh scripts/system-deps.sh load
	$(BIN)/pip install -q -r requirements-load.txt
	scripts/with-postgres.sh $(BIN)/python scripts/load.py $(LOAD_ARGS)

$(STAMPS)/system-bench: scripts/system-deps.sh
	@mkdir -p $(STAMPS)
	sh scripts/system-deps.sh bench
	@touch $@

# Every tests/benchmarks/bench_*.py (servers and load included), then one table of figures against their targets;
# `make bench ONLY="http charts"` runs those whose name holds one of the words.
bench: setup-test $(STAMPS)/system-bench
	$(TEST_SETTINGS) $(BIN)/python tests/benchmarks/run.py $(ONLY)

clean:
	rm -rf $(STAMPS) var db.sqlite3 test-artifacts
