"""Data generation speed and program lengths.

    .venv/bin/python experiments/bench_datagen.py [--n 3] [--n-parts 15] [--length-seeds 50] [--workers 2]
                                                  [--out FILE.md]

(a) Objects per second end to end (generation, execution in the Blender pool, part ordering, sampling
    16,384-point clouds and the dense reference, Chamfer, writing .npz/.ply and the manifest), for the
    object categories and for the part types, with every generator that exists when it runs.
(b) Program length per generator in characters and in Llama-3.2 tokens (the paper's tokenizer), and the
    share over 5,000 tokens (the paper's training cut-off), from ``--length-seeds`` programs each
    (generated, not executed).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from meshcoder.data.categories import CATEGORIES, generate_program, generators
from meshcoder.data.parts import PART_TYPES
from meshcoder.data.pipeline import LONG_PROGRAM_TOKENS, DatagenConfig, read_manifests, run_shard
from meshcoder.data.tokens import token_counter


def bench_throughput(names: list[str], n: int, workers: int, counter) -> dict:
    """Run the pipeline on ``names`` x ``n`` into a temporary folder; objects/s and where time went."""
    with tempfile.TemporaryDirectory() as tmp:
        config = DatagenConfig(
            out_dir=tmp, generators=names, n_per_generator=n, workers=workers, progress=False
        )
        t0 = time.perf_counter()
        report = run_shard(config, counter)  # pool start-up included: it is part of a real run
        wall = time.perf_counter() - t0
        entries = read_manifests(tmp)
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
    blender = sum(e["stats"].get("blender", 0.0) for e in entries.values())
    return {
        "jobs": report.done,
        "ok": report.ok,
        "wall": wall,
        "loop": report.seconds,
        "per_second": report.done / wall,
        "per_second_warm": report.objects_per_second,
        "blender_share": blender / max(report.seconds * workers, 1e-9),
        "mb_per_object": size / max(report.ok, 1) / 2**20,
    }


def bench_lengths(names: list[str], seeds: int, counter) -> list[tuple]:
    """Per generator: (name, programs, mean/p50/p95/max chars, mean/p50/p95/max tokens, share > 5k)."""
    rows = []
    for name in names:
        texts = []
        for seed in range(seeds):
            try:
                texts.append(generate_program(name, seed))
            except Exception as err:  # a generator bug shows as fewer programs, not a failed benchmark
                warnings.warn(f"{name} seed {seed}: {type(err).__name__}: {err}", stacklevel=1)
        if not texts:
            continue
        chars = np.array([len(t) for t in texts])
        tokens = np.array(counter(texts))
        rows.append(
            (name, len(texts), *_stats(chars), *_stats(tokens), float(np.mean(tokens > LONG_PROGRAM_TOKENS)))
        )
    return rows


def _stats(values: np.ndarray) -> tuple[float, float, float, float]:
    return (
        float(values.mean()),
        float(np.median(values)),
        float(np.percentile(values, 95)),
        float(values.max()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=3, help="programs per category for the throughput run")
    parser.add_argument("--n-parts", type=int, default=15, help="programs per part type, throughput run")
    parser.add_argument("--length-seeds", type=int, default=50, help="programs per generator for lengths")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--out", type=Path, default=None, help="also write the tables to this .md file")
    args = parser.parse_args()

    table = generators()
    objects = [c for c in CATEGORIES if c in table]
    counter = token_counter("llama32")
    lines = [
        f"# Data generation benchmark ({platform.node()}, {os.cpu_count()} CPUs, {args.workers} workers)",
        "",
        f"Object generators present: {len(objects)} of {len(CATEGORIES)}; part types: {len(PART_TYPES)}.",
        "",
        "## Throughput, end to end",
        "",
        "| set | jobs | ok | wall s | objects/s | objects/s (warm pool) | Blender share | MB/object |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, names, n in (("objects", objects, args.n), ("parts", list(PART_TYPES), args.n_parts)):
        if not names:
            continue
        r = bench_throughput(names, n, args.workers, counter)
        lines.append(
            f"| {label} | {r['jobs']} | {r['ok']} | {r['wall']:.1f} | {r['per_second']:.2f} | "
            f"{r['per_second_warm']:.2f} | {100 * r['blender_share']:.0f}% | {r['mb_per_object']:.2f} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "Blender share: time the workers spent running programs over worker time available; the rest went",
        "to waiting on the main process (ordering, sampling, Chamfer, writing) and pool start-up.",
        "",
        f"## Program length ({args.length_seeds} programs per generator; tokens: Llama-3.2)",
        "",
        "| generator | programs | chars mean | p50 | p95 | max | tokens mean | p50 | p95 | max | > 5k |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = bench_lengths(objects + list(PART_TYPES), args.length_seeds, counter)
    for name, count, *values, share in rows:
        cells = " | ".join(f"{v:,.0f}" for v in values)
        lines.append(f"| {name} | {count} | {cells} | {100 * share:.1f}% |")
    if rows:
        object_rows = [r for r in rows if r[0] in objects]
        if object_rows:
            tokens = np.mean([r[6] for r in object_rows])
            share = np.mean([r[-1] for r in object_rows])
            lines.append(
                f"| **objects (mean of categories)** | | | | | | {tokens:,.0f} | | | | {100 * share:.1f}% |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
