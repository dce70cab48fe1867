# layergraph — the two commands on a fresh machine are `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
LG      = $(VENV)/bin/layergraph
SPECS   = $(wildcard specs/*.json)
OUT    ?= out

.PHONY: install system-deps demo test test-fast bench diagrams schema clean
.PHONY: tui-stress

install: system-deps $(VENV)/.installed

# Graphviz's `dot` renders PNG/SVG/PDF, Noto CJK draws Korean/Japanese/Chinese text, cairo
# converts the volumes style; installed with apt when we are root and something is missing.
system-deps:
	@{ command -v dot >/dev/null 2>&1 && fc-list ':lang=ko' family 2>/dev/null | grep -q . ; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-noto-cjk libcairo2; \
	  else echo "note: install Graphviz and a CJK font (apt-get install graphviz fonts-noto-cjk / brew install graphviz) for PNG/SVG/PDF with Korean text"; fi; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[keras,jax,torch,tune,tui,figures,dev]"
	touch $@

# The main job on the bundled specs: check, summary, diagrams, Keras compile (into $(OUT)/).
demo: install
	@mkdir -p $(OUT)
	$(LG) check $(SPECS)
	$(LG) summary specs/alexnet.json
	$(LG) summary specs/vgg16.json --format markdown > $(OUT)/vgg16-summary.md
	@for spec in $(SPECS); do name=$$(basename $$spec .json); \
	  $(LG) render $$spec -o $(OUT)/$$name.png || exit 1; \
	  $(LG) render $$spec -o $(OUT)/$$name-blocks.svg --style blocks || exit 1; \
	  $(LG) compile $$spec -o $(OUT)/$$name.keras --force || exit 1; \
	  $(LG) export $$spec -o $(OUT)/$$name.py --force || exit 1; \
	done
	@echo "demo: diagrams, Keras models and exported scripts are in $(OUT)/"

# One worker per core; a file's tests stay on one worker, so its module fixtures
# (a TensorFlow model, the backend workers) are built once. The slowest tests are listed
# at the end, so a slow one is seen where it crept in.
PYTEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --durations=15

# Skips the TensorFlow-backed tests: seconds instead of minutes.
test-fast: install
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile -m "not keras and not slow"

# The editor's tests, TUI_STRESS_RUNS times in a row, while busy processes (one per core) load the CPU.
TUI_STRESS_RUNS  ?= 20
TUI_STRESS_TESTS ?= tests/test_tui_*.py
tui-stress: install
	@hogs=""; for i in $$(seq $$(nproc)); do $(PY) -c "while True: pass" & hogs="$$hogs $$!"; done; \
	  trap 'kill $$hogs 2>/dev/null' EXIT INT TERM; \
	  for run in $$(seq $(TUI_STRESS_RUNS)); do echo "tui-stress: run $$run of $(TUI_STRESS_RUNS)"; \
	    $(PY) -m pytest -q -p no:cacheprovider $(TUI_STRESS_TESTS) || exit 1; done; \
	  echo "tui-stress: $(TUI_STRESS_RUNS) runs passed under $$(nproc) CPU hogs"

bench: install
	$(PY) benchmarks/run.py

# Regenerates the README's pictures: every bundled spec in both styles, plus a few options.
IMAGES  = docs/images
DPI    ?= 110
diagrams: install
	mkdir -p $(IMAGES)
	@for spec in $(SPECS); do name=$$(basename $$spec .json); \
	  $(LG) render $$spec -o $(IMAGES)/$$name-graph.png --dpi $(DPI) || exit 1; \
	  $(LG) render $$spec -o $(IMAGES)/$$name-blocks.png --style blocks --dpi $(DPI) || exit 1; \
	done
	$(LG) render specs/vgg16.json -o $(IMAGES)/vgg16-collapsed.png --collapse --dpi $(DPI)
	$(LG) render specs/residual_cnn.json -o $(IMAGES)/residual_cnn-print.png --theme print --rankdir TB --dpi $(DPI)
	$(LG) render specs/inception_module.json -o $(IMAGES)/inception_module-dark.png --theme dark --collapse --dpi $(DPI)
	@for name in alexnet vgg16 residual_cnn inception_module unet; do \
	  $(LG) render specs/$$name.json -o $(IMAGES)/$$name-volumes.png --style volumes --dpi $(DPI) || exit 1; \
	done
	$(LG) render specs/resnet50.json -o $(IMAGES)/resnet50-volumes.png --style volumes --collapse --dpi $(DPI)
	$(LG) render tests/fixtures/figures/korean_cnn.json -o $(IMAGES)/korean-volumes.png --style volumes --lang ko --notes --dpi $(DPI)
	$(LG) render tests/fixtures/figures/korean_cnn.json -o $(IMAGES)/korean-graph.png --dpi $(DPI)

schema: install
	$(LG) schema -o schema/layergraph.schema.json

clean:
	rm -rf $(OUT) .pytest_cache
