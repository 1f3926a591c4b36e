"""Data generation speed and program lengths.

    .venv/bin/python experiments/bench_datagen.py [--n 3] [--n-parts 15] [--length-seeds 50] [--workers 2]
                                                  [--shard-n 2] [--no-lengths] [--out FILE.md]

(a) Objects per second end to end (generation, execution in the Blender pool, then in the
    post-processing processes part ordering, sampling 16,384-point clouds and the dense reference,
    Chamfer, writing .npz/.ply; the manifest), for the object categories and for the part types, with
    every generator that exists when it runs. CPU time (this process and every child: Blender workers,
    post-processing processes) and the load average are printed beside the wall time: on a shared
    machine the wall time says as much about the other jobs as about this one.
(b) Shard scaling (``--shard-n`` > 0): the ``meshcoder-datagen`` command, one Blender worker per shard,
    as one shard pinned to core 0, then as two shards in two processes pinned to cores 0 and 1 (the
    same jobs). Linear scaling: two shards finish in half the time.
(c) Program length per generator in characters and in Llama-3.2 tokens (the paper's tokenizer), and the
    share over 5,000 tokens (the paper's training cut-off), from ``--length-seeds`` programs each
    (generated, not executed).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from meshcoder.data.categories import CATEGORIES, generate_program, generators
from meshcoder.data.generators.parts import PART_TYPES
from meshcoder.data.pipeline import LONG_PROGRAM_TOKENS, DatagenConfig, read_manifests, run_shard
from meshcoder.models.text_tokenizer import token_counter


def cpu_seconds() -> float:
    """CPU time of this process and of every child it has waited for (user + system)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_throughput(names: list[str], n: int, workers: int, counter) -> dict:
    """Run the pipeline on ``names`` x ``n`` into a temporary folder; objects/s and where time went."""
    with tempfile.TemporaryDirectory() as tmp:
        config = DatagenConfig(
            out_dir=tmp, generators=names, n_per_category=n, workers=workers, progress=False
        )
        load, cpu0, t0 = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
        report = run_shard(config, counter)  # pool start-up included: it is part of a real run
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        entries = read_manifests(tmp)
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
    blender = sum(e["stats"].get("blender", 0.0) for e in entries.values())
    post = sum(e["stats"].get("postprocess", 0.0) for e in entries.values())
    return {
        "jobs": report.done,
        "ok": report.ok,
        "wall": wall,
        "cpu_per_job": cpu / max(report.done, 1),
        "per_second": report.done / wall,
        "blender_share": blender / max(report.seconds * workers, 1e-9),
        "post_share": post / max(report.seconds * workers, 1e-9),
        "mb_per_object": size / max(report.ok, 1) / 2**20,
        "load": (load + os.getloadavg()[0]) / 2,
    }


def bench_shards(names: list[str], n: int) -> list[dict]:
    """The command as one shard on core 0, then as two shards in two processes on cores 0 and 1."""
    rows = []
    for label, shards in (("1 shard, core 0", 1), ("2 shards, cores 0 + 1", 2)):
        with tempfile.TemporaryDirectory() as tmp:
            commands = [_shard_command(Path(tmp), names, n, shard, shards) for shard in range(shards)]
            load, cpu0, t0 = os.getloadavg()[0], cpu_seconds(), time.perf_counter()
            # Each shard in its own session, as separately launched commands are: where the kernel
            # shares CPU time between sessions (autogroup), shards in one session would split one share.
            running = [
                subprocess.Popen(c, stdout=subprocess.DEVNULL, start_new_session=True) for c in commands
            ]
            codes = [p.wait() for p in running]
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
            if any(codes):
                raise RuntimeError(f"a shard failed (exit statuses {codes}): {' '.join(commands[0])} ...")
            done = len(read_manifests(tmp))
        rows.append(
            {"label": label, "jobs": done, "wall": wall, "per_second": done / wall, "cpu_per_job": cpu / done,
             "load": (load + os.getloadavg()[0]) / 2}
        )  # fmt: skip
    return rows


def _shard_command(out: Path, names: list[str], n: int, shard: int, shards: int) -> list[str]:
    pin = ["taskset", "-c", str(shard)] if shutil.which("taskset") else []
    return [
        *pin, sys.executable, "-m", "meshcoder.cli.datagen", f"out_dir={out}",
        f"categories=[{','.join(names)}]", f"n_per_category={n}", f"shard={shard}", f"num_shards={shards}",
        "workers=1", "progress=false",
    ]  # fmt: skip


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
    parser.add_argument("--n", type=int, default=3, help="programs per category, throughput run (0: skip)")
    parser.add_argument("--n-parts", type=int, default=15, help="per part type, throughput run (0: skip)")
    parser.add_argument("--length-seeds", type=int, default=50, help="programs per generator for lengths")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--shard-n", type=int, default=2, help="per category, shard scaling (0: skip)")
    parser.add_argument("--no-lengths", action="store_true", help="skip the program-length table")
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
        "| set | jobs | ok | wall s | objects/s | CPU s/obj | Blender share | post share | MB/obj | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, names, n in (("objects", objects, args.n), ("parts", list(PART_TYPES), args.n_parts)):
        if not names or n < 1:
            continue
        r = bench_throughput(names, n, args.workers, counter)
        lines.append(
            f"| {label} | {r['jobs']} | {r['ok']} | {r['wall']:.1f} | {r['per_second']:.2f} | "
            f"{r['cpu_per_job']:.3f} | {100 * r['blender_share']:.0f}% | {100 * r['post_share']:.0f}% | "
            f"{r['mb_per_object']:.2f} | {r['load']:.1f} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "Blender share: time the workers spent running programs over worker time available; post share:",
        "the same for the post-processing processes (one per worker: ordering, sampling, Chamfer, files).",
        "CPU s/obj: this process and all its children per object; 2 cores / CPU s/obj bounds objects/s on",
        "an idle 2-core machine. load: the 1-minute load average during the run.",
    ]
    if args.shard_n > 0 and objects:
        lines += [
            "",
            f"## Shard scaling (`meshcoder-datagen`, 1 worker per shard, {args.shard_n} per category)",
            "",
            "| run | jobs | wall s | objects/s | CPU s/obj | load |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        rows = bench_shards(objects, args.shard_n)
        for r in rows:
            lines.append(
                f"| {r['label']} | {r['jobs']} | {r['wall']:.1f} | {r['per_second']:.2f} | "
                f"{r['cpu_per_job']:.3f} | {r['load']:.1f} |"
            )
            print(lines[-1], flush=True)
        lines += ["", f"Scaling, two shards over one: {rows[1]['per_second'] / rows[0]['per_second']:.2f}x."]
    if args.no_lengths:
        _finish(lines, args.out)
        return
    lines += [
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
    _finish(lines, args.out)


def _finish(lines: list[str], out: Path | None) -> None:
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        out.write_text(text)


if __name__ == "__main__":
    main()
