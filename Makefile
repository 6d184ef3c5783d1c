# wayhome: every command sets itself up. `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# The suite runs on every core (pytest-xdist): each worker has its own test database.
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test lint typecheck migrations-check test-sqlite test-postgres bench messages security clean

$(STAMP): requirements.txt pyproject.toml setup.py $(wildcard src/wayhome/names/_*.pyx)
	$(PYTHON) -c 'import sys; sys.exit("wayhome needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## install: build .venv with pinned dependencies and the `wayhome` command
install: $(STAMP)

## demo: migrate an SQLite database, load synthetic demo data, serve on 127.0.0.1:$(PORT)
demo: install
	WAYHOME_DEMO=1 DJANGO_SETTINGS_MODULE=wayhome.config.settings.dev $(BIN)/wayhome demo --port $(PORT)

## test: linters, type checks, migration check, then every test on SQLite and PostgreSQL
test: install lint typecheck migrations-check test-sqlite test-postgres

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy src tests bench

migrations-check: install
	DJANGO_SETTINGS_MODULE=wayhome.config.settings.test $(BIN)/wayhome makemigrations --check --dry-run

test-sqlite: install
	$(BIN)/pytest --cov --cov-report=term -q -n auto

test-postgres: install
	@if $(BIN)/python -c 'import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()' '$(TEST_PG_URL)' 2>/dev/null; then \
		echo "== PostgreSQL at $(TEST_PG_URL): running the suite again on it"; \
		DATABASE_URL='$(TEST_PG_URL)' $(BIN)/pytest -q --no-cov -p no:cacheprovider -n auto; \
	else \
		echo "== PostgreSQL not reachable at $(TEST_PG_URL): PostgreSQL run SKIPPED (set TEST_PG_URL to point at one)"; \
	fi

## bench: the benchmarks in bench/ (see bench/README.md)
bench: install
	$(BIN)/pip install -q -r requirements-bench.txt
	$(BIN)/python -m bench

## security: ruff's security rules, Django's deployment checklist, a dependency audit
security: install
	scripts/security-check

## messages: extract and compile translations (needs GNU gettext)
messages: install
	cd src/wayhome && DJANGO_SETTINGS_MODULE=wayhome.config.settings.test ../../$(BIN)/wayhome makemessages -l ru -l ar --no-obsolete --no-location --ignore "names/*" --ignore "linkage/*"
	cd src/wayhome && DJANGO_SETTINGS_MODULE=wayhome.config.settings.test ../../$(BIN)/wayhome compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
