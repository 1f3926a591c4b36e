"""Run the hostile-program battery against the executor, with validation off and on, and print the
table: tried, refused cleanly, escaped, crashed the pool, lost results, hung.

    .venv/bin/python experiments/hostile_executor.py [--only off|on] [--workers 2]

The attacks live in ``tests/test_hostile_executor.py`` (``ATTACKS``), so the tests and this table
always count the same programs. About a second per attack with validation off (each runs in a worker
that is thrown away afterwards), a few seconds in all with validation on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the tests package

from tests.test_hostile_executor import ATTACKS, battery_table, run_battery


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("off", "on"), help="run one mode only")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tallies = {}
    for validate in (False, True):
        mode = "on" if validate else "off"
        if args.only and args.only != mode:
            continue
        t0 = time.perf_counter()
        tallies[f"validation {mode}"] = run_battery(validate, workers=args.workers)
        print(f"validation {mode}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print(f"{len(ATTACKS)} attacks and one 201-program map per mode\n")
    print(battery_table(tallies))


if __name__ == "__main__":
    main()
