"""Time of ``Predictor.predict`` for one input: the shipped model, N programs, no refinement.

    python experiments/bench_predict.py                      # stage profile, then N=8 and N=1 over 5 inputs
    python experiments/bench_predict.py --n 8 --inputs 10 --dataset data/heldout

Input i is predicted with seed i (the shipped model writes nearly the same programs whatever the input,
so the seed is what varies the samples, and with them the decoding steps: the longest of the N).
First a stage profile: loading the model, starting the pool, then for each input reading, preparing,
generating (the grammar constraint's share timed apart), running and repairing, selecting and scoring,
and the picture ``meshcoder predict`` draws unless ``--no-pictures`` (medians over the inputs), in wall
and CPU seconds (this process and the Blender workers). Then the whole call per N, as a user waits for
it once ``meshcoder predict`` is running (pool and model warm). On 2 shared cores other jobs move the
figures: the load average is printed beside them. What the constraints cost on their own:
``experiments/bench_constraints.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import torch

from meshcoder.inference import DEFAULT_MODEL, Predictor
from meshcoder.inference.inputs import expand_inputs
from meshcoder.models.constraints import ProgramConstraint


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its live children (the Blender workers), from /proc."""
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # a worker that ended meanwhile
            continue
    return total / os.sysconf("SC_CLK_TCK")


class Stages:
    """Wall and CPU seconds per named stage (``with stages("name"):``), several runs each."""

    def __init__(self) -> None:
        self.runs: dict[str, list[tuple[float, float]]] = {}

    def __call__(self, name: str) -> Stages:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.start = (time.perf_counter(), cpu_seconds())

    def __exit__(self, *exc) -> None:
        wall, cpu = time.perf_counter() - self.start[0], cpu_seconds() - self.start[1]
        self.runs.setdefault(self.name, []).append((wall, cpu))

    def add(self, name: str, wall: float, cpu: float = float("nan")) -> None:
        self.runs.setdefault(name, []).append((wall, cpu))

    def table(self) -> str:
        lines = ["| stage | runs | wall s (median) | CPU s (median) |", "|---|---:|---:|---:|"]
        for name, runs in self.runs.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            lines.append(f"| {name} | {len(runs)} | {wall:.3f} | {cpu:.3f} |".replace("nan", "-"))
        return "\n".join(lines)


def timed_constraint() -> dict[str, float]:
    """Sum the wall time of every ``ProgramConstraint`` call into the returned dict (``seconds``)."""
    spent = {"seconds": 0.0}
    call = ProgramConstraint.__call__

    def timed(self, input_ids, scores):
        t0 = time.perf_counter()
        try:
            return call(self, input_ids, scores)
        finally:
            spent["seconds"] += time.perf_counter() - t0

    ProgramConstraint.__call__ = timed
    return spent


def profile(predictor: Predictor, items, n: int, stages: Stages) -> list[int]:
    """One prediction per input, step by step as ``Predictor.predict_prepared`` takes them; returns the
    decoding steps of each (its longest program's tokens)."""
    spent = timed_constraint()
    steps = []
    with tempfile.TemporaryDirectory() as folder:
        for seed, item in enumerate(items):
            with stages("read"):
                geometry = item.read()
            with stages("prepare (normalise, 16,384 points)"):
                prepared = predictor.prepare(geometry, name=item.name)
            spent["seconds"] = 0.0
            with stages(f"generate (N={n}, one batch)"):
                candidates = predictor._generate([prepared], n, 0.8, 0.95, seed)[0]
            stages.add("  of which the grammar constraint", spent["seconds"])
            steps.append(max(c.tokens for c in candidates))
            with stages("execute + repair (Blender pool)"):
                predictor._run(candidates, True)
            settings = {"model": predictor.name}
            with stages("select + score"):
                prediction = predictor._finish(prepared, candidates, settings, 0.0, True, seed, {})
            stages.add("  select", prediction.timings["select"])
            stages.add("  score", prediction.timings["score"])
            with stages("save, no picture (--no-pictures)"):
                prediction.save(folder, pool=None)
            with stages("save with picture (render)"):
                prediction.save(folder, pool=predictor.pool)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--dataset", default="data/heldout", help="dataset folder (its test split)")
    parser.add_argument("--inputs", type=int, default=5, help="inputs timed (one per category, in order)")
    parser.add_argument("--n", type=int, nargs="+", default=[8, 1], help="samples per input")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    items, seen = [], set()
    for item in expand_inputs([f"{args.dataset}:test"]):
        if item.category not in seen:
            seen.add(item.category)
            items.append(item)
    items = items[: args.inputs + 1]
    print(f"model {args.model}, {len(items) - 1} inputs of {args.dataset} (one per category), "
          f"{args.threads} torch threads, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    stages = Stages()
    with stages("load model"):
        predictor = Predictor.load(args.model)
    with predictor:
        with stages("start pool"):
            predictor.pool.start()
        with stages("first prediction (warm-up, N=2)"):
            predictor.predict(items[0].read(), n=2, name="warmup")
        steps = profile(predictor, items[1:], args.n[0], stages)
        print(f"\nStage profile, N={args.n[0]}; load {os.getloadavg()[0]:.1f}; decoding steps {steps}\n")
        print(stages.table())

        print("\n| N | inputs | generate s | execute+repair s | select s | score s | total s (median) "
              "| max s | CPU s (median) | load avg |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.n:
            rows = []
            for seed, item in enumerate(items[1:]):
                t0, c0 = time.perf_counter(), cpu_seconds()
                prediction = predictor.predict(item.read(), n=n, name=item.name, seed=seed)
                wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
                rows.append({**prediction.timings, "wall": wall, "cpu": cpu})
            med = {
                k: statistics.median(r.get(k, 0.0) for r in rows)
                for k in ("generate", "execute", "select", "score", "wall", "cpu")
            }
            print(
                f"| {n} | {len(rows)} | {med['generate']:.2f} | {med['execute']:.2f} | {med['select']:.2f} | "
                f"{med['score']:.2f} | {med['wall']:.2f} | {max(r['wall'] for r in rows):.2f} | "
                f"{med['cpu']:.2f} | {os.getloadavg()[0]:.1f} |"
            )


if __name__ == "__main__":
    main()
