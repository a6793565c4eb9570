# OpenCommunity PA — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test install install-dev translations chromium db demo extract-messages vendor

## make run: install, migrate, load demo data and serve on http://127.0.0.1:5000
run: install translations db demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## make test: install what the tests need (Debian's chromium included) and run the whole suite, one worker per core
TEST_WORKERS ?= auto
test: install-dev translations chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || (rm -rf $(VENV) && sh scripts/apt-install.sh python3-venv && $(PYTHON) -m venv $(VENV))
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## Compile the translation catalogues (the .mo files are built, never committed)
translations: install
	$(BIN)/pybabel compile --use-fuzzy -d app/translations

## Debian's chromium for the browser tests (Playwright's own browser download is not used)
chromium:
	@command -v chromium >/dev/null 2>&1 || sh scripts/apt-install.sh chromium

db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask organizations load-ipa-codes --if-present
	$(BIN)/flask kpi load-reference

demo: install
	$(BIN)/flask demo load
	$(BIN)/flask search reindex

## Refresh the message catalogue after changing interface texts
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

## Refresh the vendored front-end assets from the npm registry
vendor:
	$(BIN)/python scripts/refresh_vendor.py
