"""Kill ``meshcoder predict`` half-way and start it again: nothing lost, nothing repeated.

    python experiments/check_resume.py                       # 41 held-out inputs, one per category
    python experiments/check_resume.py --kill-after 10 --out runs/resume_check

Copies the first held-out cloud of each category into a folder, runs ``meshcoder predict FOLDER -o OUT``,
kills it (SIGKILL, no clean-up) once ``--kill-after`` results exist, runs the same command again, and
checks that every result written before the kill is untouched (same modification time, so it was not
predicted again), that every input has a result afterwards, and that the second run said how many it
skipped. Prints one line per check and exits non-zero when one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=Path("data/heldout"))
    parser.add_argument("--out", type=Path, default=Path("runs/resume_check"))
    parser.add_argument("--kill-after", type=int, default=15, help="results written before the kill")
    parser.add_argument("--n", type=int, default=1)
    args = parser.parse_args()

    records = json.loads((args.dataset / "test.json").read_text())
    inputs = args.out / "inputs"
    results = args.out / "predictions"
    shutil.rmtree(args.out, ignore_errors=True)
    inputs.mkdir(parents=True)
    seen = set()
    for record in records:
        if record["category"] in seen:
            continue
        seen.add(record["category"])
        path = record["pcd_path"][0] if isinstance(record["pcd_path"], list) else record["pcd_path"]
        shutil.copy(args.dataset / path, inputs / f"{record['category']}.npz")
    total = len(seen)
    command = [
        str(Path(sys.executable).parent / "meshcoder"),
        "predict",
        str(inputs),
        "-o",
        str(results),
        "-n",
        str(args.n),
    ]
    print(f"{total} inputs; meshcoder {' '.join(command[1:])}")

    t0 = time.perf_counter()
    first = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    while first.poll() is None and len(_done(results)) < args.kill_after:
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)  # the run and its Blender workers, mid-prediction
    first.wait()
    before = _done(results)
    print(f"killed after {time.perf_counter() - t0:.0f} s with {len(before)} results written")

    t1 = time.perf_counter()
    second = subprocess.run(command, capture_output=True, text=True)
    after = _done(results)
    print(f"second run: exit {second.returncode}, {time.perf_counter() - t1:.0f} s")
    checks = {
        "every input has a result": len(after) == total,
        "results from before the kill untouched (not predicted again)": all(
            after.get(k) == v for k, v in before.items()
        ),
        f"the second run skipped exactly those {len(before)}": f"resuming: {len(before)} of {total}"
        in second.stderr,
        "summary.csv lists every input": (results / "summary.csv").read_text().count("\n") == total + 1,
        "no half-written result files": not list(results.glob("*.tmp")),
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


def _done(folder: Path) -> dict[str, int]:
    """Finished results (name -> modification time in ns)."""
    if not folder.is_dir():
        return {}
    return {p.stem: p.stat().st_mtime_ns for p in folder.glob("*.json") if p.name != "errors.json"}


if __name__ == "__main__":
    sys.exit(main())
