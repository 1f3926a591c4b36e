"""Wall time of ``Predictor.predict`` for one input: the shipped model, N programs, no refinement.

    python experiments/bench_predict.py                      # N=8 and N=1 over 5 held-out inputs
    python experiments/bench_predict.py --n 8 --inputs 10 --dataset data/heldout

The pool and the model are warmed up first (one prediction not counted): the figure is what a user
waits per input once ``meshcoder predict`` is running. Prints per-step medians (generate, execute and
repair, select, score) and the total, with the machine's load average, since on 2 shared cores other
jobs change the figures. Also times generation with and without the grammar constraints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import torch

from meshcoder.inference import DEFAULT_MODEL, Predictor
from meshcoder.inference.inputs import expand_inputs


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
          f"{args.threads} torch threads, {os.cpu_count()} cores")  # fmt: skip
    with Predictor.load(args.model) as predictor:
        predictor.pool.start()
        predictor.predict(items[0].read(), n=2, name="warmup")
        print(
            "| N | inputs | generate s | execute+repair s | select s | score s | total s (median) | max s "
            "| load avg |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.n:
            rows = []
            for item in items[1:]:
                t0 = time.perf_counter()
                prediction = predictor.predict(item.read(), n=n, name=item.name)
                wall = time.perf_counter() - t0
                rows.append({**prediction.timings, "wall": wall})
            med = {
                k: statistics.median(r.get(k, 0.0) for r in rows)
                for k in ("generate", "execute", "select", "score", "wall")
            }
            print(
                f"| {n} | {len(rows)} | {med['generate']:.2f} | {med['execute']:.2f} | {med['select']:.2f} | "
                f"{med['score']:.2f} | {med['wall']:.2f} | {max(r['wall'] for r in rows):.2f} | "
                f"{os.getloadavg()[0]:.1f} |"
            )
        # Generation alone, with and without the grammar constraints (same inputs, greedy, N=8 sampled).
        model = predictor.model
        clouds = [
            predictor.prepare(item.read()).cloud.subsample(predictor.model_points) for item in items[1:]
        ]
        print("\n| decoding | programs | tokens | seconds | tokens/s |")
        print("|---|---:|---:|---:|---:|")
        for constrained in (True, False):
            tokens, seconds = 0, 0.0
            for cloud in clouds:
                t0 = time.perf_counter()
                out = model.generate_programs(
                    [cloud.points], normals=[cloud.normals], constrained=constrained, generator=0,
                    do_sample=True, temperature=0.8, top_p=0.95, num_return_sequences=8,
                    max_new_tokens=predictor.max_new_tokens,
                )  # fmt: skip
                seconds += time.perf_counter() - t0
                tokens += sum(o.tokens for o in out)
            label = "constrained" if constrained else "unconstrained"
            print(f"| {label} | {8 * len(clouds)} | {tokens} | {seconds:.2f} | {tokens / seconds:.0f} |")


if __name__ == "__main__":
    main()
