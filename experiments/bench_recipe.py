"""Training speed of the CPU recipes' stages: program tokens per second of a training step (forward,
backward, AdamW) in the text stage (program texts alone, no shape tokenizer) and in the full loop
(point clouds through the shape tokenizer, then the LLM), for the model of ``make train``
(``experiment=tiny_cpu``) and the shipped model's (``experiment=cpu_shipped``). Prints a markdown table
with wall-clock and CPU-time figures and the load average.

    .venv/bin/python experiments/bench_recipe.py [--threads 1] [--batch 8] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import time

import torch
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from meshcoder.data.categories import CATEGORIES, generate_program
from meshcoder.models import build_meshcoder, collate
from meshcoder.models.prompt import MeshCoderBatch
from meshcoder.training.train import CONFIG_DIR


def model_for(experiment: str):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("train", overrides=[f"experiment={experiment}", "paths.output_dir=/tmp/bench_recipe"])
    config = instantiate(cfg.model.config, _convert_="all")
    return build_meshcoder(config), int(cfg.data.num_points)


def measure(step, repeats: int) -> tuple[float, float]:
    step()  # warm-up
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        step()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def training_steps(model, optimizer, programs, clouds, normals):
    """Two training steps over the same programs: text only (no clouds), and the full loop."""

    def text_step() -> None:
        tokens = model.template.token_batch(programs, len(programs))
        batch = MeshCoderBatch(points=None, normals=None, points_mask=None, **tokens)
        loss = model(**batch.as_dict()).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def full_step() -> None:
        loss = model(**collate(model.template, clouds, programs, normals=normals).as_dict()).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return text_step, full_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    programs = [generate_program(CATEGORIES[(i * 7) % len(CATEGORIES)], 100 + i) for i in range(args.batch)]
    rows = []
    for experiment in ("tiny_cpu", "cpu_shipped"):
        model, points = model_for(experiment)
        params = sum(p.numel() for p in model.parameters()) / 1e6
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
        tokens = sum(len(model.template.encode(p)) + 1 for p in programs)
        clouds = [torch.rand(points, 3) - 0.5 for _ in programs]
        normals = [torch.nn.functional.normalize(torch.randn(points, 3), dim=-1) for _ in programs]

        text_step, full_step = training_steps(model, optimizer, programs, clouds, normals)
        for stage, step in (("text stage", text_step), (f"full loop ({points} points)", full_step)):
            wall, cpu = measure(step, args.repeats)
            rows.append((experiment, f"{params:.1f}M", stage, tokens / wall, tokens / cpu, wall))
    load = os.getloadavg()[0]
    print(f"batch {args.batch} programs ({tokens} program tokens), {args.threads} thread(s), load {load:.1f}")
    print()
    print("| model | parameters | stage | tokens/s (wall) | tokens/s (CPU time) | s/step (wall) |")
    print("|---|---|---|---:|---:|---:|")
    for experiment, params, stage, wall_rate, cpu_rate, wall in rows:
        print(f"| {experiment} | {params} | {stage} | {wall_rate:,.0f} | {cpu_rate:,.0f} | {wall:.2f} |")


if __name__ == "__main__":
    main()
