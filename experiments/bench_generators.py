"""Generation cost and frame fit of every generator: CPU milliseconds per program and the design layer's
frame error (``design.frame_error`` of the fitted frame: how far the written program's box is from the
canonical box), per category, optionally with other fit settings.

    .venv/bin/python experiments/bench_generators.py                    # the shipped fit, 10 seeds
    .venv/bin/python experiments/bench_generators.py --tolerance 1e-6 --search-frames 24 --seeds 20

Prints the mean over the categories, then the slowest categories.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import meshcoder.data.generators.design as design
from meshcoder.data.categories import CATEGORIES, generate_program, generators


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=10, help="programs per category")
    parser.add_argument("--tolerance", type=float, default=design.TOLERANCE)
    parser.add_argument("--search-frames", type=int, default=design.SEARCH_FRAMES)
    parser.add_argument("--passes", type=int, default=design.FIT_PASSES)
    parser.add_argument("--show", type=int, default=8, help="slowest categories listed")
    args = parser.parse_args()
    design.TOLERANCE = args.tolerance
    design.SEARCH_FRAMES = args.search_frames
    design.FIT_PASSES = args.passes

    errors: list[float] = []
    fit = design.Design.frame

    def recorded(self: design.Design):
        frame = fit(self)
        errors.append(design.frame_error(frame, *self.box(design.Written(frame))))
        return frame

    design.Design.frame = recorded
    generators()
    rows = []
    for name in CATEGORIES:
        generate_program(name, 10**6)  # warm caches
        errors.clear()
        start = time.process_time()
        for seed in range(args.seeds):
            generate_program(name, seed)
        ms = (time.process_time() - start) / args.seeds * 1000
        rows.append((name, ms, max(errors, default=0.0), statistics.fmean(errors) if errors else 0.0))
    print(
        f"tolerance {args.tolerance:g}, {args.search_frames} search frames, {args.passes} passes, "
        f"{args.seeds} seeds, load average {os.getloadavg()[0]:.1f}"
    )
    mean_ms = statistics.fmean(r[1] for r in rows)
    worst, typical = max(r[2] for r in rows), statistics.fmean(r[3] for r in rows)
    print(
        f"mean {mean_ms:.1f} ms/program over {len(rows)} categories; "
        f"frame error max {worst:.4f}, mean of category means {typical:.4f}"
    )
    for name, ms, worst, mean in sorted(rows, key=lambda r: -r[1])[: args.show]:
        print(f"  {name:20s} {ms:7.1f} ms   error max {worst:.4f} mean {mean:.4f}")


if __name__ == "__main__":
    main()
