"""What the grammar constraints cost: decoding with and without them, same model, same prompts.

    python experiments/bench_constraints.py                  # 3 held-out inputs, 8 programs each
    python experiments/bench_constraints.py --inputs 5 --threads 2

Two measurements per input (8 sampled programs in one ``generate`` call):

* **replay** (the figure that answers "what do the constraints cost"): the constrained programs are
  decoded once, then replayed (each step's token forced) with and without the constraint. Both runs do
  the same steps over the same tokens, so their difference is the constraint's own cost.
* **free**: constrained and unconstrained decoding each left to run. The programs differ (without the
  grammar the model rambles past where a program may end), so compare tokens/s, not seconds.

Prints tokens/s, wall and CPU seconds, the constraint's share of the constrained run (its
``__call__`` timed), and the load average, since on 2 shared cores other jobs move the figures.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import torch
from transformers import LogitsProcessor

from meshcoder.inference import DEFAULT_MODEL, Predictor
from meshcoder.inference.inputs import expand_inputs

SAMPLING = {"do_sample": True, "temperature": 0.8, "top_p": 0.95}


class Replay(LogitsProcessor):
    """Forces each row's recorded token at every step (rows past their end get their last token, EOS, which
    ``generate`` pads anyway)."""

    def __init__(self, ids: torch.Tensor) -> None:
        self.ids = ids

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        step = min(input_ids.shape[1], self.ids.shape[1] - 1)
        forced = torch.full_like(scores, float("-inf"))
        forced[torch.arange(scores.shape[0]), self.ids[:, step]] = 0.0
        return forced


class Timed(LogitsProcessor):
    """A processor with its time summed (wall seconds)."""

    def __init__(self, inner: LogitsProcessor) -> None:
        self.inner, self.seconds = inner, 0.0

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        t0 = time.perf_counter()
        out = self.inner(input_ids, scores)
        self.seconds += time.perf_counter() - t0
        return out


def timed_generate(model, cloud, processors, n: int, max_new_tokens: int):
    """``(GeneratedTokens, wall s, cpu s)`` for one ``generate_tokens`` call."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = model.generate_tokens(
        [cloud.points], normals=[cloud.normals], generator=0, num_return_sequences=n,
        max_new_tokens=max_new_tokens, logits_processors=processors, **SAMPLING,
    )  # fmt: skip
    return out, time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--dataset", default="data/heldout", help="dataset folder (its test split)")
    parser.add_argument("--inputs", type=int, default=3, help="inputs (one per category, in order)")
    parser.add_argument("--n", type=int, default=8, help="programs per input (one generate call)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--max-new-tokens", type=int, default=2048)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    items, seen = [], set()
    for item in expand_inputs([f"{args.dataset}:test"]):
        if item.category not in seen:
            seen.add(item.category)
            items.append(item)
    predictor = Predictor.load(args.model, retrieval=False)
    try:
        model = predictor.model
        clouds = [predictor.prepare(item.read()).cloud.subsample(predictor.model_points) for item in items]
    finally:
        predictor.close()
    clouds = clouds[: args.inputs]
    timed_generate(model, clouds[0], [model.program_constraint()], args.n, 8)  # compile and warm up
    print(f"model {args.model}, {len(clouds)} inputs x {args.n} programs, {args.threads} torch threads, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip

    keys = ("free constrained", "free unconstrained", "replay constrained", "replay unconstrained")
    totals = {key: [0, 0, 0.0, 0.0, 0.0] for key in keys}
    for cloud in clouds:
        constraint = Timed(model.program_constraint())
        out, wall, cpu = timed_generate(model, cloud, [constraint], args.n, args.max_new_tokens)
        runs = {"free constrained": (out, wall, cpu, constraint.seconds)}
        runs["free unconstrained"] = (*timed_generate(model, cloud, [], args.n, args.max_new_tokens), 0.0)
        replay = Replay(out.ids)
        constraint = Timed(model.program_constraint())
        runs["replay constrained"] = (
            *timed_generate(model, cloud, [constraint, replay], args.n, out.ids.shape[1]),
            constraint.seconds,
        )
        steps = out.ids.shape[1]
        runs["replay unconstrained"] = (*timed_generate(model, cloud, [replay], args.n, steps), 0.0)
        for key, (result, wall, cpu, mask_s) in runs.items():
            row = totals[key]
            row[0] += int(result.lengths.sum())
            row[1] += result.ids.shape[1]
            row[2] += wall
            row[3] += cpu
            row[4] += mask_s
    print("\n| decoding | tokens | steps | wall s | CPU s | tokens/s wall | tokens/s CPU | constraint s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, (tokens, steps, wall, cpu, mask_s) in totals.items():
        print(f"| {key} | {tokens} | {steps} | {wall:.2f} | {cpu:.2f} | {tokens / wall:.0f} | "
              f"{tokens / cpu:.0f} | {mask_s:.2f} |")  # fmt: skip
    con, unc = totals["replay constrained"], totals["replay unconstrained"]
    print(f"\nconstraint cost on the same steps: wall {100 * (con[2] / unc[2] - 1):+.1f}%, "
          f"CPU {100 * (con[3] / unc[3] - 1):+.1f}% (constraint's own time: {100 * con[4] / con[2]:.1f}% "
          f"of the constrained run); load average now {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
