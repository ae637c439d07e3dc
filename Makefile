# QClub — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install serve migrate demo lint format messages bench browser clean

## install: virtualenv + pinned Python packages + front-end packages (reused when up to date)
install: $(VENV)/.installed node_modules/.installed locale/.compiled

$(VENV)/.installed: pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

locale/.compiled: $(VENV)/.installed $(wildcard locale/*/LC_MESSAGES/django.po)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	@touch $@

migrate: install
	$(MANAGE) migrate --no-input -v 1

demo: migrate
	$(MANAGE) seed_demo

## run: install, migrate, load the demo data and serve on http://$(HOST):$(PORT)
run: demo
	@$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

## test: install and run the whole suite (ruff and import contracts included); non-zero on any failure
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run -v 1
	$(VENV)/bin/pytest

## bench: national-scale benchmark (builds a synthetic data set once; takes minutes)
bench: install
	$(PY) -m bench.run

browser: install
	$(VENV)/bin/pytest -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .

## messages: refresh the translation catalogues after changing user-facing texts
messages: install
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles

clean:
	rm -rf $(VENV) node_modules staticfiles locale/.compiled
