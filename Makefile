# The two commands: `make run` (set up, then run the bot) and `make test` (set up, then test).
# Everything the project needs is installed from its own files into .venv.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup run chat test test-slow test-pg lint locales extract bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP) locales

run: setup
	$(VENV)/bin/motcua run

chat: setup
	$(VENV)/bin/motcua chat

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

# Crash, restart and failure tests through subprocesses and the fake Bot API (minutes).
test-slow: setup
	$(VENV)/bin/pytest -m slow

# The store's tests again on PostgreSQL: a throwaway cluster from /usr/lib/postgresql/*/bin
# (or MOTCUA_TEST_DATABASE_URL), started and removed by the tests themselves (issue 16).
test-pg: setup
	$(VENV)/bin/pytest -m pg -rs

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Compile the gettext catalogs (the bot also compiles a stale .po in memory).
locales: $(STAMP)
	$(VENV)/bin/pybabel compile --domain messages --directory locales --use-fuzzy --statistics

# After changing citizen-facing text: extract, merge into vi/en, translate, compile.
extract: $(STAMP)
	$(VENV)/bin/pybabel extract --mapping babel.cfg --output locales/messages.pot \
		--project MotCua --no-wrap --sort-by-file bot handlers
	$(VENV)/bin/pybabel update --domain messages --input-file locales/messages.pot \
		--output-dir locales --no-wrap --ignore-obsolete

bench: setup
	$(PY) bench/search_quality.py
	$(PY) bench/search_latency.py
	$(PY) bench/throughput.py
	$(PY) bench/throughput.py --national
	$(PY) bench/dossier_import.py --keep var/bench-dossiers.sqlite3
	$(PY) bench/dossier_lookup.py --db var/bench-dossiers.sqlite3
	$(PY) bench/outbox_drain.py
	$(PY) bench/stats.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
