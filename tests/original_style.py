"""Programs written in the original API's style and the key numbers of the meshes they build.

Each ``tests/data/original_style/NAME.py`` is a whole program (header, object name, parts) that shows
one behaviour of spec section 3b; ``NAME.json`` beside it holds the numbers its mesh must have, per
part: vertex and triangle counts, bounds, surface area and signed volume (positive when the normals
point outward, so it also pins the winding). ``tests/test_original_style.py`` runs every program and
compares. After a deliberate change, record again and read the diff:

    .venv/bin/python -m tests.original_style record                   # every program
    .venv/bin/python -m tests.original_style record tests/data/original_style/07_*.py
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

PROGRAMS = Path(__file__).parent / "data" / "original_style"
# Decimals kept in the recorded floats; comparisons allow a little more than this rounding.
DECIMALS = 6


def key_numbers(mesh) -> dict:
    """The numbers that pin a mesh: counts, bounds, area and signed volume."""
    v = np.asarray(mesh.vertices, dtype=np.float64)
    f = np.asarray(mesh.faces, dtype=np.int64)
    if len(f):
        a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
        cross = np.cross(b - a, c - a)
        area = 0.5 * float(np.linalg.norm(cross, axis=1).sum())
        volume = float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0)
    else:
        area = volume = 0.0
    bounds = mesh.bounds if len(v) else np.zeros((2, 3))
    return {
        "vertices": len(v),
        "triangles": len(f),
        "bounds": np.round(np.asarray(bounds, dtype=np.float64), DECIMALS).tolist(),
        "area": round(area, DECIMALS),
        "signed_volume": round(volume, DECIMALS),
    }


def program_numbers(result) -> dict:
    """Per part key numbers of an ``ExecutionResult`` (parts sorted by name)."""
    return {name: key_numbers(result.parts[name]) for name in sorted(result.parts)}


def programs(patterns: list[str] | None = None) -> list[Path]:
    """The program files, all of them or those the patterns name."""
    if not patterns:
        return sorted(PROGRAMS.glob("*.py"))
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        found.extend(sorted(path.parent.glob(path.name)) if any(c in pattern for c in "*?[") else [path])
    return found


def record(paths: list[Path]) -> int:
    """Run each program and write its numbers beside it; the number of programs that failed."""
    from meshcoder.shapes.executor import ExecutorPool

    failed = 0
    with ExecutorPool(num_workers=1, timeout=60.0) as pool:
        for path in paths:
            result = pool.run(path.read_text(encoding="utf-8"))
            if not result.ok:
                print(f"{path.name}: {result.reason}", file=sys.stderr)
                failed += 1
                continue
            numbers = program_numbers(result)
            target = path.with_suffix(".json")
            target.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
            summary = ", ".join(f"{k} {n['vertices']}v" for k, n in numbers.items())
            print(f"{path.name}: {summary} -> {target.name}")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.original_style", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run programs and write their key numbers beside them")
    rec.add_argument("files", nargs="*", help="program files or globs (default: all)")
    args = parser.parse_args(argv)
    paths = programs(args.files)
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such program: {', '.join(map(str, missing))}")
    return 1 if record(paths) else 0


if __name__ == "__main__":
    raise SystemExit(main())
