# VETgraph: `make app` sets up and runs the app on the demo corpus; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .vetgraph
PORT ?= 8501

.PHONY: app test venv dev browser stores demo clean-store bench help

help:
	@echo "make app    - set up .venv, ingest corpus/ into $(STORE) if empty, index it if unindexed, start the Streamlit app"
	@echo "make test   - set up .venv with test tools and run the test suite"
	@echo "make demo   - (re)ingest corpus/ into $(STORE)"
	@echo "make browser - apt-get install what the browser test needs (chromium, fonts-noto-cjk) where missing"
	@echo "make stores - install what the store-backend tests need (Virtuoso via apt, the oxigraph server via pip) where missing"

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(BIN)/.dev-installed: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

dev: $(BIN)/.dev-installed browser stores

# chromium and a CJK font for tests/test_app_browser.py; says why and goes on where it cannot install them
browser:
	@scripts/install_browser.sh

# Virtuoso and the oxigraph server for tests/test_store_backends.py; says why and goes on where it cannot install them
stores:
	@scripts/install_stores.sh

demo: venv
	$(BIN)/vetgraph --store $(STORE) ingest corpus/

app: venv
	@if [ ! -f "$(STORE)/snapshots/CURRENT" ]; then $(BIN)/vetgraph --store $(STORE) ingest corpus/; fi
	@if [ ! -f "$(STORE)/index/CURRENT" ]; then $(BIN)/vetgraph --store $(STORE) index; fi
	VETGRAPH_STORE=$(STORE) $(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: dev
	$(BIN)/python -m pytest -n 2 -q

clean-store:
	rm -rf $(STORE)
