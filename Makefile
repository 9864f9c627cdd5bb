# cxkit: `make report` and `make test` set everything up themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export MPLBACKEND := Agg
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: setup bytecode report test bench lab demo clean

setup: $(STAMP) bytecode

# cxkit's compiled modules, kept current: an editable install has none, and Python cannot
# write them where PYTHONDONTWRITEBYTECODE is set, so each new process would compile the
# package again (0.15 s of a tiny client's `cxkit run`)
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q cxkit

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	@mkdir -p $(MPLCONFIGDIR)
	@touch $(STAMP)

report: setup
	$(BIN)/cxkit run demo --client-data client_data --reports reports
	@echo "Deliverable: $(CURDIR)/reports/demo/index.html"

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup tests
	$(BIN)/python -m pytest -n 2 --doctest-modules cxkit -q
	$(BIN)/python -m pytest --nbval-lax notebooks/ -n 2 --dist loadfile -q

bench: setup
	$(BIN)/python -m cxkit.bench

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks

demo: setup
	$(BIN)/cxkit demo --out client_data/demo --seed 7 --responses 20000

clean:
	rm -rf reports .cache .pytest_cache test-artifacts
