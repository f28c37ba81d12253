# The two commands of README.md: `make demo` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-city test test-dates test-newest-python lint bench clean system-deps screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'  # dev pulls every role's extra and postgres
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# make demo PORT=8080 when 8000 is taken
demo: $(STAMP) system-deps
	$(BIN)/hallq demo --port $(PORT)

# A city: PostgreSQL primary + standby, 3 `hallq serve` hosts, HAProxy, 3 demo halls
# (scripts/city_bed.py; docs/scale.md). Ctrl-C tears it down.
demo-city: $(STAMP) system-deps
	$(BIN)/python scripts/city_bed.py $(CITY_ARGS)

# ruff, the type checker (pyproject.toml [tool.mypy]), then the layers (docs/architecture.md)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/import_contracts.py

# Two workers (CI has two cores); a file, or a package sharing one bed, stays on one worker
# (tests/conftest.py). TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup --durations=25 $(PYTEST_ARGS)

# The date-sensitive tests again under faked dates (scripts/test-dates.sh); .ci/run runs it.
test-dates: $(STAMP) system-deps
	bash scripts/test-dates.sh $(BIN)/python

# The interpreter-sensitive tests again under the newest CPython found, deprecation warnings as
# errors, in .venv-newest (scripts/test-newest-python.sh); .ci/run runs it.
test-newest-python: system-deps
	bash scripts/test-newest-python.sh

# docs/board-1920x1080.png and docs/board-1080x1920.png: the hall board with the example hall.
screenshots: $(STAMP)
	$(BIN)/python scripts/board_screenshots.py docs

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-newest var .pytest_cache .ruff_cache
