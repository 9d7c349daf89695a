# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# Both create .venv when it is missing and (re)install when pyproject.toml or requirements.lock changed:
# every dependency from the lock file (exact versions, hashes checked), then the project itself.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck layers unit apptest security e2e bench bench-matcher bench-monitoring bench-burst bench-hostile bench-load demo lock clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

ADDRESS ?= 127.0.0.1  # only this machine; `make run ADDRESS=0.0.0.0` for a demo on the school's network

run: $(STAMP)
	$(BIN)/peermatch seed-demo
	$(BIN)/streamlit run app.py --browser.gatherUsageStats false --server.address $(ADDRESS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  # the product, then each test folder on its own (each has its own conftest and helpers)
	$(BIN)/mypy
	for folder in unit app; do MYPYPATH=tests/$$folder $(BIN)/mypy --strict tests/$$folder || exit 1; done
	MYPYPATH=tests/e2e:tests/unit:tests/app $(BIN)/mypy --strict tests/e2e  # e2e borrows tests/unit/pg.py and tests/app/tutee_login.py
	test ! -d tests/security || MYPYPATH=tests/security:tests/unit $(BIN)/mypy --strict tests/security

layers: $(STAMP)  # the import-linter contracts in pyproject.toml
	$(BIN)/lint-imports

unit: $(STAMP)  # the core, storage and services (incl. hypothesis and PostgreSQL)
	$(BIN)/python -m pytest tests/unit

apptest: $(STAMP)  # every page under Streamlit's AppTest
	$(BIN)/python -m pytest tests/app

security: $(STAMP)  # the tests that prove each security and privacy finding of issue 11 (SQLite and PostgreSQL)
	$(BIN)/python -m pytest tests/security

e2e: $(STAMP)  # real headless Chromium against `streamlit run`
	$(BIN)/python -m pytest tests/e2e

test: lint typecheck layers  # then every test, in one pytest run on two workers (the browser tests together on one)
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=15

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

bench-matcher: $(STAMP)  # `peermatch match` against the bare limit at 10k, 25k and 50k pupils (issue 14, part 1; ~3 min)
	$(BIN)/python -m benchmarks.matcher

bench-monitoring: $(STAMP)  # load + overview at 1,000 and 10,000 pairs on SQLite and PostgreSQL, Overzicht in AppTest (issue 14, part 2)
	$(BIN)/python -m benchmarks.monitoring --stored-only --sizes 1000,10000
	$(BIN)/python -m benchmarks.monitoring --page 10000

bench-burst: $(STAMP)  # 30 check-ins at once with 10 busy threads, old path against today's (issue 14, part 5)
	$(BIN)/python -m benchmarks.burst

bench-hostile: $(STAMP)  # the hostile files of issue 11 against valid files of the same size, a fresh process each
	$(BIN)/python -m benchmarks.readers

bench-load: $(STAMP)  # 30/60/120 pupils in headless Chromium against 1 and 2 app processes (issue 14, part 6; a few minutes)
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)

demo: $(STAMP)
	$(BIN)/peermatch demo --pupils 200 --seed 2026 --out data/demo_school.csv

lock: $(STAMP)  # re-resolve requirements.lock after a change to the dependencies in pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --no-annotate \
		--no-header -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
