# Vanphong: `make demo` runs the product on SQLite with demo data; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export VANPHONG_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint format messages bench clean

$(BIN)/vanphong: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/vanphong
	$(BIN)/vanphong demo
	$(BIN)/vanphong serve --port $(PORT)

test: $(BIN)/vanphong
	VANPHONG_DB_CONN_MAX_AGE=0 $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(BIN)/vanphong
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy src
	$(BIN)/lint-imports

format: $(BIN)/vanphong
	$(BIN)/ruff format src
	$(BIN)/ruff check --fix src

# Extract user-visible strings into the catalogues, then compile them (needs GNU gettext).
messages: $(BIN)/vanphong
	cd src/vanphong && ../../$(BIN)/vanphong makemessages -l vi -l en --no-obsolete --ignore 'tests/*'
	cd src/vanphong && ../../$(BIN)/vanphong compilemessages

# Benchmarks print their figures and end with one JSON line each: `make bench` or `make bench NAME=audit`.
bench: $(BIN)/vanphong
	@for script in $(if $(NAME),bench/$(NAME).py,$(filter-out bench/_%,$(wildcard bench/*.py))); do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
