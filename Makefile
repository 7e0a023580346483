# Briefbot: `make run` serves the bot on http://127.0.0.1:7860, `make test` runs every test.
# Both set up a local virtual environment (.venv) first; nothing is installed system-wide except,
# for the browser tests, Debian's chromium (as root, when it is missing).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch. Elsewhere than this machine, get a CPU wheel with:
#   make TORCH_SPEC="torch --index-url https://download.pytorch.org/whl/cpu" venv
TORCH_SPEC ?= torch==2.13.0

.PHONY: venv run test lint lock bench bench-archive load browser-deps clean

venv: $(VENV)/.installed

# requirements.lock pins every package of the test and dev extras by version and sha256 (Linux,
# Python 3.11), so two venvs made from one commit are the same; torch comes first, as the CPU build,
# and is left out of the lock with the CUDA packages a PyPI resolution of torch would add.
# `make venv LOCK=` installs from the ranges in pyproject.toml instead (another platform).
LOCK ?= requirements.lock
# The same ranges, resolved again into requirements.lock (needs the dev extra's uv).
UV_EXCLUDE := torch triton cuda-bindings cuda-pathfinder cuda-toolkit nvidia-cublas nvidia-cuda-cupti \
	nvidia-cuda-nvrtc nvidia-cuda-runtime nvidia-cudnn-cu13 nvidia-cufft nvidia-cufile nvidia-curand \
	nvidia-cusolver nvidia-cusparse nvidia-cusparselt-cu13 nvidia-nccl-cu13 nvidia-nvjitlink \
	nvidia-nvshmem-cu13 nvidia-nvtx

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH_SPEC)
	$(if $(LOCK),$(BIN)/pip install --quiet --require-hashes -r $(LOCK))
	$(BIN)/pip install --quiet $(if $(LOCK),--no-deps) -e ".[test,dev]"
	$(BIN)/python -m vectorstore.onnx_embeddings   # one-time int8 ONNX export of the model (~20 s)
	touch $@

run: venv
	$(BIN)/python app.py

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install chromium fonts-liberation" >&2; exit 1; \
	  fi; \
	fi

test: venv browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/deptry .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -q

# The benchmark against vanilla LangChain: `make bench` (1k articles), `make bench ARTICLES=200`,
# more flags through BENCH_ARGS (see bench/README.md). Results: bench/results/latest.{md,json}.
bench: venv
	$(BIN)/python -m bench.run --articles $(or $(ARTICLES),1000) --seed 7 $(BENCH_ARGS)

# Archive scale, its own results (bench/results/archive/): ask, add/delete and disk use at 100k articles
# (synthetic passage vectors, extraction included). The first run builds the two 100k-article stores:
# about 70 min on 2 cores; later runs reuse them and take about 3 min.
bench-archive: venv
	$(BIN)/python -m bench.run --articles 0 --seed 7 --ask-articles 100000 --ask-vectors synthetic --ask-embedders onnx \
	  --out bench/results/archive $(BENCH_ARGS)

# Load test: 50 users x 60 s against `briefbot serve`, alone, during a 1,000-article ingest (niced, as
# `briefbot ingest` runs by default, and at normal priority), with the store on `chroma run`, and in a
# closed loop (~12 min). Results: bench/results/load.{md,json}; see bench/README.md.
# Size it with USERS= and DURATION= (seconds); more flags through LOAD_ARGS.
load: venv
	$(BIN)/python -m bench.load --users $(or $(USERS),50) --seconds $(or $(DURATION),60) $(LOAD_ARGS)

lock: venv
	$(BIN)/uv pip compile pyproject.toml --extra test --extra dev --generate-hashes --python-version 3.11 \
	  --quiet $(addprefix --no-emit-package ,$(UV_EXCLUDE)) -o requirements.lock

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/deptry .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
