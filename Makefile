# Two commands do all set-up on a fresh machine with only python3:
#   make demo   — create .venv from the lock file, then run the whole pipeline on the sample county web
#   make test   — the same environment (and Debian's Chromium for the browser tests), then the test suite
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test services up lint clean bench-harvest bench-reparse bench-generic bench-catalogue bench-stack
$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -r requirements.lock
	$(VENV)/bin/python -m pip install -q --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gongkai demo

# The production stack on this machine (PostgreSQL, Redis, the Dagster daemon and webserver, two Celery workers) over
# the sample web, until Ctrl-C: README, "Running it in production".
up: $(STAMP) services
	$(VENV)/bin/gongkai up

# The browser tests drive Debian's Chromium headless (Playwright); installed here when it is missing.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "make: the browser tests need Chromium at $(CHROMIUM); install it with your system's package manager" >&2; exit 1; }
	$(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# An older DuckDB, beside the venv's own (not importable from it), for the test that auditors' DuckDB 1.x readers
# open the catalogue (tests/test_end_to_end.py).
OLD_DUCKDB := 1.1.3
OLD_READER := $(VENV)/duckdb-$(OLD_DUCKDB)/duckdb/__init__.py
$(OLD_READER): $(STAMP)
	$(VENV)/bin/python -m pip install -q --no-deps --target $(VENV)/duckdb-$(OLD_DUCKDB) duckdb==$(OLD_DUCKDB)

# A Chinese font, so that the browser tests' screenshots (written for review) show the pages' Chinese text.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
$(CJK_FONT):
	@command -v apt-get >/dev/null || { echo "make: install a Chinese font (e.g. WenQuanYi Zen Hei) for readable screenshots" >&2; exit 0; }
	$(SUDO) apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei >/dev/null || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei >/dev/null; }

# The production-stack tests (tests/test_production.py) and `gongkai up` start Debian's PostgreSQL and Redis servers
# on loopback; installed here when missing (the packages' own services are not used).
services:
	@{ ls /usr/lib/postgresql/*/bin/initdb && command -v redis-server; } >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null || { echo "make: the production-stack tests need PostgreSQL and Redis servers; install them with your system's package manager" >&2; exit 1; }; \
	  $(SUDO) apt-get install -y -qq --no-install-recommends postgresql redis-server >/dev/null || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends postgresql redis-server >/dev/null; }; }

test: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(OLD_READER) services
	$(VENV)/bin/python -m pytest

# Benchmark-only dependencies (Scrapy) come from their own lock file; the demo and tests never need them.
bench-harvest: $(STAMP)
	$(VENV)/bin/python -m pip install -q -r requirements-bench.lock
	$(VENV)/bin/python benchmarks/harvest_scale.py --write docs/benchmarks.md

# Re-parse speed: our adapters against a bare lexbor parse of the same archived pages, per core (no extra dependencies).
bench-reparse: $(STAMP)
	$(VENV)/bin/python benchmarks/reparse.py --write docs/benchmarks.md

# The generic adapter on every sample family, as if no adapter knew it (documents found, fields exact).
bench-generic: $(STAMP)
	$(VENV)/bin/python benchmarks/generic_coverage.py --write docs/benchmarks.md

# The catalogue on a synthetic lake (real schemas): a full build against incremental updates, and the audit views'
# queries against a bare group-by (100,000 documents; --documents 1000000 --sites 400 for a province's size).
bench-catalogue: $(STAMP)
	$(VENV)/bin/python benchmarks/catalogue_scale.py --write docs/benchmarks.md

# The production stack (PostgreSQL, Redis, the daemon, Celery workers) draining a job backfill of many sites that share
# few hosts, with 1 and 2 workers: queue drain time, the daemon's CPU, peak memory per worker.
bench-stack: $(STAMP) services
	$(VENV)/bin/python benchmarks/stack_scale.py --write docs/benchmarks.md

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf data .pytest_cache
