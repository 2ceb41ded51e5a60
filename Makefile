# VETgraph: `make app` sets up and runs the app on the demo corpus; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .vetgraph
PORT ?= 8501

.PHONY: app test venv dev demo clean-store bench help

help:
	@echo "make app    - set up .venv, ingest corpus/ into $(STORE) if empty, start the Streamlit app"
	@echo "make test   - set up .venv with test tools and run the test suite"
	@echo "make demo   - (re)ingest corpus/ into $(STORE)"

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

dev: $(BIN)/.dev-installed

demo: venv
	$(BIN)/vetgraph --store $(STORE) ingest corpus/

app: venv
	@if [ ! -f "$(STORE)/snapshots/CURRENT" ]; then $(BIN)/vetgraph --store $(STORE) ingest corpus/; fi
	VETGRAPH_STORE=$(STORE) $(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: dev
	$(BIN)/python -m pytest -n 2 -q

clean-store:
	rm -rf $(STORE)
