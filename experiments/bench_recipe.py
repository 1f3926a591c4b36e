"""Training speed of the CPU recipes: program tokens per second of the full loop (the object stage's
DataLoader, point clouds through the shape tokenizer, then the LLM; backward; AdamW) against the LLM
alone (the same batches' programs without clouds, as in the text stage), for the model of
``make train`` (``experiment=tiny_cpu``) and the shipped model's (``experiment=cpu_shipped``).

Both run the training module's own step (``MeshCoderModule.shared_step``, then backward and the
module's optimiser), alternating one full-loop step and one LLM-alone step so that a change in the
machine's load hits both alike. ``--former`` also trains a copy of the model with the step as it was
before the speed-ups (the reference in ``tests/test_training_speed_equivalence.py``: whole-sequence
logits with the padding mask, the former scatter and gather, AdamW's loop over parameters), interleaved
with the others on the same batches: a before/after comparison that a busy machine's load swings
cannot bias, and the largest difference between the two runs' losses.

Batches come from the experiment's dataset folder when it exists (else synthetic clouds and generated
programs). Prints a markdown table with wall-clock and CPU-time figures (this process's CPU seconds)
and the load average.

    .venv/bin/python experiments/bench_recipe.py [--experiment tiny_cpu cpu_shipped] [--steps 6] [--former]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path

import torch
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from meshcoder.conf import CONFIG_DIR
from meshcoder.data.categories import CATEGORIES, generate_program


def compose_experiment(experiment: str):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=[f"experiment={experiment}", "paths.output_dir=/tmp/bench_recipe"])


def object_batches(cfg, batch_size: int) -> tuple[Iterator[dict], str]:
    """The object stage's training batches for ever (its DataLoader), or synthetic ones without data."""
    if Path(cfg.data.root, "train.json").is_file():
        data = instantiate(cfg.data, batch_size=batch_size)
        data.setup("fit")

        def loop() -> Iterator[dict]:
            while True:
                yield from data.train_dataloader()

        return loop(), f"{cfg.data.root} (DataLoader, {data.num_workers} workers)"
    n = int(cfg.data.num_points)

    def synthetic() -> Iterator[dict]:
        for k in range(10**9):
            programs = [
                generate_program(CATEGORIES[(7 * (k * batch_size + i)) % len(CATEGORIES)], 100 + i)
                for i in range(batch_size)
            ]
            points = torch.rand(batch_size, n, 3) - 0.5
            normals = torch.nn.functional.normalize(torch.randn(batch_size, n, 3), dim=-1)
            yield {"points": points, "normals": normals, "programs": programs}

    return synthetic(), "synthetic clouds, generated programs"


def step(module, optimizer, batch: dict, former: bool = False) -> tuple[float, float, int, float]:
    """One training step as Lightning runs it: wall and CPU seconds, program tokens (labels), loss.
    ``former``: the step before the speed-ups instead (the reference of
    ``tests/test_training_speed_equivalence.py``)."""
    w, c = time.perf_counter(), time.process_time()
    if former:
        loss, tokens = former_step(module, batch), -1
    else:
        out = module.shared_step(batch, "train")
        loss, tokens = out["loss"], int(out["num_tokens"])
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return time.perf_counter() - w, time.process_time() - c, tokens, float(loss.detach())


def former_step(module, batch: dict):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.test_training_speed_equivalence import reference_step

    return reference_step(module, batch)


def measure(experiment: str, steps: int, threads: int | None, batch_size: int | None, former: bool) -> dict:
    cfg = compose_experiment(experiment)
    torch.set_num_threads(threads or int(cfg.get("threads") or 1))
    torch.manual_seed(int(cfg.seed))
    module = instantiate(cfg.model, scheduler=None)  # the schedule needs a trainer; the rate is no matter
    module.train()
    runs = [("", module, module.configure_optimizers())]
    if former:  # a copy of the same start, with the configs' plain AdamW (its loop over parameters)
        twin = deepcopy(module)
        runs.append(
            (" (former step)", twin, module.optimizer_factory(twin.parameter_groups(), foreach=False))
        )
    batch_size = batch_size or int(cfg.data.batch_size)
    batches, source = object_batches(cfg, batch_size)
    totals: dict[str, list[float]] = {}  # wall s, CPU s, tokens per loop
    largest_difference = 0.0
    for k in range(steps + 1):  # the first round warms up
        w, c = time.perf_counter(), time.process_time()
        batch = next(batches)  # the DataLoader's time counts in each full loop
        loading = (time.perf_counter() - w, time.process_time() - c)
        text_batch = {"programs": batch["programs"]}  # what the text stage's data module yields
        losses: dict[str, list[float]] = {}
        for suffix, model, optimizer in runs:  # interleaved: a change of load hits every loop alike
            for key, data in (("full", batch), ("text", text_batch)):
                wall, cpu, tokens, loss = step(model, optimizer, data, former=bool(suffix))
                losses.setdefault(key, []).append(loss)
                if k:
                    total = totals.setdefault(key + suffix, [0.0, 0.0, 0])
                    total[0] += wall + (loading[0] if key == "full" else 0.0)
                    total[1] += cpu + (loading[1] if key == "full" else 0.0)
                    total[2] += tokens
        largest_difference = max(largest_difference, *(max(v) - min(v) for v in losses.values()))
    for suffix, _, _ in runs[1:]:  # the former step trains on the same tokens
        for key in ("full", "text"):
            totals[key + suffix][2] = totals[key][2]
    params = sum(p.numel() for p in module.model.parameters()) / 1e6
    return {
        "experiment": experiment,
        "params": params,
        "points": int(cfg.data.num_points),
        "batch": batch_size,
        "threads": torch.get_num_threads(),
        "source": source,
        "totals": totals,
        "loss_difference": largest_difference if former else None,
    }


def main() -> None:
    warnings.filterwarnings("ignore", message=".*self.log.*")  # the module logs; there is no trainer
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experiment", nargs="+", default=["tiny_cpu", "cpu_shipped"])
    parser.add_argument("--steps", type=int, default=6, help="timed steps of each kind (after one round)")
    parser.add_argument("--threads", type=int, default=None, help="default: the experiment's `threads`")
    parser.add_argument("--batch", type=int, default=None, help="default: the experiment's batch size")
    parser.add_argument(
        "--former", action="store_true", help="also time the step before the speed-ups, interleaved"
    )
    args = parser.parse_args()
    results = [measure(e, args.steps, args.threads, args.batch, args.former) for e in args.experiment]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"torch {torch.__version__}, {args.steps} steps of each kind, load average {load}")
    print()
    print(
        "| model | parameters | threads | loop | program tokens/s (wall) | program tokens/s (CPU time) "
        "| s/step (wall / CPU) | full loop / LLM alone (wall / CPU) |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for r in results:
        for suffix in ("", " (former step)") if args.former else ("",):
            rates = {k: (r["totals"][k + suffix][2] / w, r["totals"][k + suffix][2] / c)
                     for k in ("full", "text") for w, c in [r["totals"][k + suffix][:2]]}  # fmt: skip
            ratio = tuple(f / t for f, t in zip(rates["full"], rates["text"]))
            for key, name in (("text", "LLM alone (programs, no clouds)"), ("full", "full loop")):
                w, c, _ = r["totals"][key + suffix]
                n = args.steps
                label = name if key == "text" else f"{name} ({r['points']:,} points, batch {r['batch']})"
                extra = f"{ratio[0]:.2f} / {ratio[1]:.2f}" if key == "full" else ""
                print(
                    f"| {r['experiment']} | {r['params']:.1f}M | {r['threads']} | {label}{suffix} "
                    f"| {rates[key][0]:,.0f} | {rates[key][1]:,.0f} | {w / n:.2f} / {c / n:.2f} | {extra} |"
                )
    print()
    for r in results:
        print(f"{r['experiment']}: batches from {r['source']}")
        if r["loss_difference"] is not None:
            print(f"{r['experiment']}: largest loss difference, this step against the former: "
                  f"{r['loss_difference']:.2e}")  # fmt: skip


if __name__ == "__main__":
    main()
