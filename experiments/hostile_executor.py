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

from meshcoder.shapes.executor import ExecutorPool, Status
from tests.test_hostile_executor import ATTACKS, Tally, battery_table, run_battery
from tests.test_hostile_validator import BAD_NAMES, BOMBS, DEEP, FOREIGN_BREAKS, GOOD, KNOBS, _call


def validator_battery(workers: int) -> Tally:
    """The validator's hostile texts (tests/test_hostile_validator.py: deep nesting, repetition bombs,
    foreign line breaks, bad names, unbounded knobs), each then sent through the pool in one map with
    good programs between them: each must come back ``invalid``, the good ones ``ok``."""
    bodies = [*DEEP.values(), *BOMBS.values(), *KNOBS.values()]
    bodies += [f"create_primitive(name='{name}')" for name in BAD_NAMES.values()]
    sources = [_call(b) for b in bodies]
    sources += [
        GOOD + f"# harmless{brk}__import__('os').system('touch /tmp/pwned')\n" for brk in FOREIGN_BREAKS
    ]
    mixed = [s for hostile in sources for s in (hostile, GOOD)]
    tally = Tally(tried=len(sources))
    with ExecutorPool(num_workers=workers, timeout=10) as pool:
        try:
            results = pool.map(mixed)
        except Exception as err:  # the pool must not raise: count it
            tally.crashed = len(sources)
            tally.notes.append(f"map raised {type(err).__name__}: {err}")
            return tally
    tally.lost = len(mixed) - len(results) + sum(not r.ok for r in results[1::2])
    for source, result in zip(sources, results[0::2]):
        if result.status is Status.INVALID:
            tally.refused += 1
        elif result.status is Status.TIMEOUT:
            tally.hung += 1
        elif result.status is Status.CRASH:
            tally.crashed += 1
        else:
            tally.escaped += 1
            tally.notes.append(f"validated and ran ({result.status}): {source[90:150]!r}")
    return tally


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
    if not args.only:
        tallies["validator battery (on)"] = validator_battery(args.workers)
    print(f"{len(ATTACKS)} attacks and one 201-program map per mode; the validator's hostile texts\n")
    print(battery_table(tallies))


if __name__ == "__main__":
    main()
