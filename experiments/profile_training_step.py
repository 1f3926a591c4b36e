"""Where a training step of the CPU recipes spends its time: ``torch.profiler`` over the object stage's
loop (DataLoader, tokenizing, forward, backward, AdamW) on real batches of the recipe's dataset, split by
part (data path; point encoder; scatter into the triplane; ViT; querier; LLM; loss; optimiser). Prints a
markdown table per experiment with milliseconds per step (the profiler's CPU time of this thread, summed
over each part's operators) and the step's wall and CPU seconds measured without the profiler.

    .venv/bin/python experiments/profile_training_step.py [--experiment tiny_cpu cpu_shipped] [--steps 5]

Backward operators are charged to the part whose forward operator made them (the profiler's sequence
numbers link the two); gradient accumulation into the parameters is its own row. The data path runs in
this process (``num_workers=0``) so its parts can be told apart; with the recipe's workers it overlaps
the step instead (the last line of each table). Operators under no labelled part (Python glue, module
hooks) are the "other" row. The profiler adds its own overhead, so the step's own wall and CPU seconds
are measured separately, without it.
"""

from __future__ import annotations

import argparse
import functools
import os
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from torch.autograd.profiler import record_function
from torch.profiler import ProfilerActivity, profile

import meshcoder.data.dataset as dataset_module
import meshcoder.training.module as module_module
from meshcoder.conf import CONFIG_DIR
from meshcoder.models.llm import base_model

# Row labels, in the order the table prints them.
DATA_ROWS = {
    "data: read .npz": "data: read .npz (np.load)",
    "data: draw points": "data: draw points, to tensors (Dataset.__getitem__)",
    "data: pad clouds": "data: pad clouds (PadCollate)",
    "data: tokenize": "data: tokenize programs, prompt (collate)",
}
MODEL_ROWS = {
    "point encoder: MLP": "point encoder: Fourier + MLP blocks",
    "point encoder: local pooling": "point encoder: local plane pooling and gather",
    "triplane scatter": "scatter to triplane (+ masking, cells)",
    "vit": "ViT",
    "querier": "querier",
    "llm": "LLM (embeddings, blocks, output layer)",
    "loss": "loss (log-softmax) and shape-token merge",
}
OPTIMIZER_ROW = "optimizer (zero_grad + AdamW step)"
ACCUMULATE_ROW = "backward: accumulate parameter grads"
OTHER_ROW = "other (Python glue, outside any part)"


def compose_experiment(experiment: str):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=[f"experiment={experiment}", "paths.output_dir=/tmp/profile_step"])


def build(cfg):
    """The experiment's training module (its model, two parameter groups and rates), its optimiser and
    the object stage's data (in this process: ``num_workers=0``)."""
    module = instantiate(cfg.model, scheduler=None)  # the schedule needs a trainer; the rate is no matter
    optimizer = module.configure_optimizers()
    data = instantiate(cfg.data, num_workers=0)
    data.setup("fit")
    return module, optimizer, data


def label_modules(model) -> list:
    """Forward hooks that open a profiler range around each part of the model."""
    st = model.shape_tokenizer
    llm = base_model(model.llm)
    parts = {
        "triplane scatter": st,  # the shape tokenizer minus its children below: cells, scatter, image
        "point encoder: local pooling": st.point_encoder,  # the point encoder minus its MLPs
        "point encoder: MLP": [st.point_encoder.embed, *st.point_encoder.blocks, st.point_encoder.out],
        "vit": st.vit,
        "querier": st.querier,
        "llm": [llm.get_input_embeddings(), llm.get_decoder(), llm.get_output_embeddings()],
        "loss": model,
    }
    handles = []
    for name, modules in parts.items():
        for module in modules if isinstance(modules, list) else [modules]:
            stack: list = []

            def pre(_m, _args, name=name, stack=stack):
                stack.append(record_function(name))
                stack[-1].__enter__()

            def post(_m, _args, _out, stack=stack):
                stack.pop().__exit__(None, None, None)

            handles += [module.register_forward_pre_hook(pre), module.register_forward_hook(post)]
    return handles


@contextmanager
def labelled_data_path() -> Iterator[None]:
    """Profiler ranges around the dataset's file reads (the rest of ``__getitem__`` is point drawing)
    and the training step's tokenizing (``collate``)."""
    patched = [
        (dataset_module, "load_cloud", "data: read .npz"),
        (module_module, "collate", "data: tokenize"),
    ]
    originals = [getattr(owner, name) for owner, name, _ in patched]
    for (owner, name, label), original in zip(patched, originals):

        @functools.wraps(original)
        def wrapper(*args, original=original, label=label, **kwargs):
            with record_function(label):
                return original(*args, **kwargs)

        setattr(owner, name, wrapper)
    try:
        yield
    finally:
        for (owner, name, _), original in zip(patched, originals):
            setattr(owner, name, original)


def training_step(module, optimizer, batch: dict) -> dict:
    """What Lightning's loop does for one batch: the module's step (its logging is a no-op without a
    trainer), backward, AdamW."""
    out = module.shared_step(batch, "train")
    out["loss"].backward()
    with record_function(OPTIMIZER_ROW):
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    return out


def batches(data, labelled: bool) -> Iterator[dict]:
    """Batches of the training loader for ever; with ``labelled``, profiler ranges split the data path."""
    loader = data.train_dataloader()
    collate_fn = loader.collate_fn

    def pad(items):
        with record_function("data: pad clouds"):
            return collate_fn(items)

    loader.collate_fn = pad if labelled else collate_fn
    while True:
        it = iter(loader)
        while True:
            with record_function("data: draw points") if labelled else _nothing():
                batch = next(it, None)
            if batch is None:
                break
            yield batch


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def attribute(events) -> dict[str, float]:
    """Self CPU microseconds per row: forward operators (and a labelled range's own time) by their
    innermost labelled range, backward operators by the forward operator of the same sequence number."""
    labels = set(DATA_ROWS) | set(MODEL_ROWS) | {OPTIMIZER_ROW}

    def label_of(event) -> str | None:
        while event is not None:
            if event.name in labels:
                return event.name
            event = event.cpu_parent
        return None

    forward_label: dict[int, str] = {}
    for e in events:
        if e.sequence_nr >= 0 and not _in_backward(e):
            lab = label_of(e)
            if lab is not None:
                forward_label.setdefault(e.sequence_nr, lab)
    totals: dict[str, float] = defaultdict(float)
    for e in events:
        if e.name in labels:  # a range's own time: the Python inside it (file reads, module glue)
            totals[("fwd " + e.name) if e.name in MODEL_ROWS else e.name] += e.self_cpu_time_total
            continue
        root = _backward_root(e)
        if root is not None:
            if "AccumulateGrad" in root.name:
                row = ACCUMULATE_ROW
            else:
                row = "bwd " + forward_label.get(root.sequence_nr, OTHER_ROW)
        else:
            lab = label_of(e)
            row = ("fwd " + lab) if lab in MODEL_ROWS else (lab or OTHER_ROW)
        totals[row] += e.self_cpu_time_total
    return totals


def _backward_root(event):
    while event is not None:
        if event.name.startswith("autograd::engine::evaluate_function"):
            return event
        event = event.cpu_parent
    return None


def _in_backward(event) -> bool:
    return _backward_root(event) is not None


def timed_steps(step: Callable[[], object], n: int) -> tuple[float, float]:
    """Mean wall and CPU seconds of ``n`` calls."""
    w, c = time.perf_counter(), time.process_time()
    for _ in range(n):
        step()
    return (time.perf_counter() - w) / n, (time.process_time() - c) / n


def profile_experiment(experiment: str, steps: int, threads: int | None) -> list[str]:
    cfg = compose_experiment(experiment)
    torch.manual_seed(int(cfg.seed))
    torch.set_num_threads(threads or int(cfg.get("threads") or 1))
    module, optimizer, data = build(cfg)
    module.train()
    model = module.model
    plain = batches(data, labelled=False)
    program_tokens = []

    def plain_step() -> None:
        program_tokens.append(training_step(module, optimizer, next(plain))["num_tokens"])

    timed_steps(plain_step, 2)  # warm-up
    program_tokens.clear()
    wall, cpu = timed_steps(plain_step, steps)
    tokens = sum(program_tokens) / len(program_tokens)

    handles = label_modules(model)
    labelled = batches(data, labelled=True)
    with labelled_data_path():
        training_step(module, optimizer, next(labelled))  # warm-up under the hooks
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            for _ in range(steps):
                training_step(module, optimizer, next(labelled))
    for h in handles:
        h.remove()
    totals = attribute(prof.events())
    return table(experiment, cfg, totals, steps, wall, cpu, tokens)


def table(experiment: str, cfg, totals: dict[str, float], steps: int, wall: float, cpu: float,
          tokens: float) -> list[str]:  # fmt: skip
    per_step = {k: v / steps / 1e3 for k, v in totals.items()}  # ms
    total = sum(per_step.values())
    lines = [
        f"### {experiment}: batch {cfg.data.batch_size}, {cfg.data.num_points:,} points, "
        f"{torch.get_num_threads()} thread(s), {tokens:,.0f} program tokens per batch",
        "",
        "| part | forward ms | backward ms | total ms | share |",
        "|---|---:|---:|---:|---:|",
    ]
    data_total = 0.0
    for key, name in DATA_ROWS.items():
        ms = per_step.get(key, 0.0)
        data_total += ms
        lines.append(f"| {name} | {ms:,.1f} | | {ms:,.1f} | {ms / total:.0%} |")
    for key, name in MODEL_ROWS.items():
        f, b = per_step.get("fwd " + key, 0.0), per_step.get("bwd " + key, 0.0)
        lines.append(f"| {name} | {f:,.1f} | {b:,.1f} | {f + b:,.1f} | {(f + b) / total:.0%} |")
    acc = per_step.get(ACCUMULATE_ROW, 0.0)
    lines.append(f"| {ACCUMULATE_ROW} | | {acc:,.1f} | {acc:,.1f} | {acc / total:.0%} |")
    opt = per_step.get(OPTIMIZER_ROW, 0.0)
    lines.append(f"| {OPTIMIZER_ROW} | {opt:,.1f} | | {opt:,.1f} | {opt / total:.0%} |")
    other = per_step.get(OTHER_ROW, 0.0) + per_step.get("bwd " + OTHER_ROW, 0.0)
    lines.append(f"| {OTHER_ROW} | {other:,.1f} | | {other:,.1f} | {other / total:.0%} |")
    lines.append(f"| **all (profiled)** | | | **{total:,.1f}** | 100% |")
    lines.append("")
    lines.append(
        f"Without the profiler: {wall:.3f} s wall, {cpu:.3f} s CPU per step (data loading in the loop): "
        f"{tokens / wall:,.0f} program tokens/s wall, {tokens / cpu:,.0f} per CPU second. "
        f"Data path share of the profiled step: {data_total / total:.0%}."
    )
    return lines


def main() -> None:
    warnings.filterwarnings("ignore", message=".*self.log.*")  # the module logs; there is no trainer
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experiment", nargs="+", default=["tiny_cpu", "cpu_shipped"])
    parser.add_argument("--steps", type=int, default=5, help="profiled steps (after two warm-up steps)")
    parser.add_argument("--threads", type=int, default=None, help="default: the experiment's `threads`")
    args = parser.parse_args()
    out = []
    for experiment in args.experiment:
        out += [*profile_experiment(experiment, args.steps, args.threads), ""]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"torch {torch.__version__}, load average {load} ({len(os.sched_getaffinity(0))} cores)\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
