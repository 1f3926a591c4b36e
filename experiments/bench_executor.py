"""Programs per second over the shipped examples: (a) a new Python process per program, (b) the warm
executor pool, (c) plain in-process execution (bpy imported here). Prints a table and the ratios.

    .venv/bin/python experiments/bench_executor.py [--repeats 5] [--cold-programs 12]

Targets (issue 2): the pool within 1.25x of in-process time per program, and at least 5x faster than a
new process per program.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from meshcoder.examples import example_paths

COLD_SCRIPT = """
import sys
from meshcoder.shapes import runtime
report = runtime.execute(open(sys.argv[1]).read())
assert report["status"] == "ok", report["error"]
"""


def bench_cold(paths, limit: int) -> float:
    """Seconds per program when each program starts its own Python + Blender."""
    chosen = paths[:limit]
    t0 = time.perf_counter()
    for p in chosen:
        subprocess.run([sys.executable, "-c", COLD_SCRIPT, str(p)], check=True, capture_output=True)
    return (time.perf_counter() - t0) / len(chosen)


def bench_pool(sources, repeats: int, workers: int) -> tuple[float, float]:
    """(seconds per program one at a time, throughput seconds per program with map)."""
    from meshcoder.shapes.executor import ExecutorPool

    with ExecutorPool(num_workers=workers) as pool:
        for s in sources:  # warm-up: first run of each function family
            assert pool.run(s).ok
        t0 = time.perf_counter()
        for _ in range(repeats):
            for s in sources:
                pool.run(s)
        sequential = (time.perf_counter() - t0) / (repeats * len(sources))
        t0 = time.perf_counter()
        for _ in range(repeats):
            pool.map(sources)
        parallel = (time.perf_counter() - t0) / (repeats * len(sources))
    return sequential, parallel


def bench_inprocess(sources, repeats: int) -> float:
    from meshcoder.shapes import runtime

    for s in sources:
        assert runtime.execute(s)["status"] == "ok"
    t0 = time.perf_counter()
    for _ in range(repeats):
        for s in sources:
            runtime.execute(s)
    return (time.perf_counter() - t0) / (repeats * len(sources))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cold-programs", type=int, default=12)
    ap.add_argument("--json", type=str, default=None, help="also write the figures here")
    args = ap.parse_args()
    paths = example_paths()
    sources = [p.read_text() for p in paths]
    cores = len(os.sched_getaffinity(0))
    cold = bench_cold(paths, args.cold_programs)
    pool_seq, pool_par = bench_pool(sources, args.repeats, cores)
    pool1_seq, _ = bench_pool(sources, args.repeats, 1)
    inproc = bench_inprocess(sources, args.repeats)
    rows = [
        ("(a) new process per program", cold),
        ("(b) warm pool, 1 worker, one at a time", pool1_seq),
        (f"(b) warm pool, {cores} workers, one at a time", pool_seq),
        (f"(b) warm pool, {cores} workers, map (throughput)", pool_par),
        ("(c) in-process (bpy in the caller)", inproc),
    ]
    print(f"{len(sources)} example programs, {args.repeats} repeats, {cores} cores")
    print(f"{'mode':<48} {'ms/program':>11} {'programs/s':>11}")
    for name, sec in rows:
        print(f"{name:<48} {sec * 1e3:>11.1f} {1 / sec:>11.1f}")
    ratios = {
        "pool_1_worker_vs_inprocess": pool1_seq / inproc,
        "cold_vs_pool_1_worker": cold / pool1_seq,
        "cold_vs_pool_map": cold / pool_par,
        "inprocess_vs_pool_map": inproc / pool_par,
    }
    print(
        f"pool (1 worker) / in-process time per program: {ratios['pool_1_worker_vs_inprocess']:.2f}x "
        f"(target <= 1.25x)"
    )
    print(
        f"new process / pool (1 worker):                 {ratios['cold_vs_pool_1_worker']:.1f}x "
        "(target >= 5x)"
    )
    print(f"new process / pool map ({cores} workers):         {ratios['cold_vs_pool_map']:.1f}x")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": dict(rows), "ratios": ratios}, fh, indent=2)


if __name__ == "__main__":
    main()
