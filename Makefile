# QClub — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# make is the developer's tool: DEBUG on (demo data, console e-mail, no HTTPS
# redirect) unless the environment says otherwise. Everything else (docker
# compose, gunicorn, the worker in production) gets the settings' default: off.
export DEBUG ?= true

.PHONY: run test check install serve migrate demo lint format messages bench bench-surveys bench-complaints browser clean worker

## install: virtualenv + pinned Python packages + front-end packages (reused when up to date)
install: $(VENV)/.installed node_modules/.installed locale/.compiled

$(VENV)/.installed: pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $@

# The plotly bundle is also kept gzipped beside itself, so the development server
# (WhiteNoise) sends 0.5 MB instead of 1.5 MB; production's collectstatic
# compresses every static file (CompressedManifestStaticFilesStorage).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	gzip -9 -k -f node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js
	@touch $@

locale/.compiled: $(VENV)/.installed $(wildcard locale/*/LC_MESSAGES/django.po) qclub/i18n/locale/it/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	@touch $@

migrate: install
	$(MANAGE) migrate --no-input -v 1

demo: migrate
	$(MANAGE) seed_demo

## run: install, migrate, load the demo data and serve on http://$(HOST):$(PORT),
## with the background-job worker beside it (stopped when the server stops)
run: demo
	@$(MANAGE) demo_logins
	@$(MANAGE) procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

## worker: the background-job worker alone (queued jobs, retries, periodic jobs)
worker: migrate
	$(MANAGE) procrastinate worker

## test: install and run the whole suite (ruff and import contracts included); non-zero on any failure
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run -v 1
	$(VENV)/bin/pytest

## check: the fast inner loop: ruff and every test not marked slow or browser (make test runs all)
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -m "not slow and not browser"

## bench: national-scale benchmark (builds a synthetic data set once; takes minutes)
bench: install
	$(PY) -m bench.run

## bench-surveys: surveys at scale (issue #10), its own data set; LOAD=60 runs the online answers load instead
bench-surveys: install
	$(PY) -m bench.surveys $(if $(LOAD),--load $(LOAD))

## bench-complaints: complaints at national scale (its own data set, 5 million complaints; long to build)
bench-complaints: install
	$(PY) -m bench.run --section complaints

browser: install
	$(VENV)/bin/pytest -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .

## messages: refresh the translation catalogues after changing user-facing texts
messages: install
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=.data

clean:
	rm -rf $(VENV) node_modules staticfiles locale/.compiled
