"""``meshcoder run PROGRAM.py -o OUT.glb``: execute a program in a Blender worker and save its mesh."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from meshcoder.cli import CLIError
from meshcoder.cli.arguments import check_writable_file, positive_float
from meshcoder.shapes.executor import DEFAULT_TIMEOUT


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "run", help="execute a shape program and save its mesh (.glb/.ply/.obj)", description=__doc__
    )
    p.add_argument("program", type=Path, help="shape program (.py)")
    p.add_argument("-o", "--output", type=Path, help="mesh file to write (.glb keeps one node per part)")
    p.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds before the run is stopped ({DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    return p


def read_program(path: Path) -> str:
    """The program's text; a :class:`CLIError` when it is missing, a folder or not UTF-8."""
    from meshcoder.evaluation.loading import ProgramReadError
    from meshcoder.evaluation.loading import read_program as read_text

    try:
        return read_text(path)
    except ProgramReadError as err:
        raise CLIError(str(err)) from None


def run(args) -> int:
    from meshcoder.shapes.executor import ExecutorPool
    from meshcoder.shapes.export import FORMATS, save_parts

    if args.output is not None:
        if args.output.suffix.lower() not in FORMATS:
            raise CLIError(f"{args.output}: the output must end in one of {', '.join(FORMATS)}")
        check_writable_file(args.output, "-o")
    source = read_program(args.program)
    with ExecutorPool(num_workers=1, timeout=args.timeout) as pool:
        result = pool.run(source)
    summary = {
        "program": str(args.program),
        "status": result.status.value,
        "error": result.error,
        "line": result.line,
        "parts": {n: {"vertices": len(m.vertices), "faces": len(m.faces)} for n, m in result.parts.items()},
        "vertices": int(sum(len(m.vertices) for m in result.parts.values())),
        "faces": int(sum(len(m.faces) for m in result.parts.values())),
        "seconds": round(result.timings.get("total", 0.0), 4),
    }
    if result.ok and args.output is not None:
        summary["output"] = str(save_parts(result.parts, args.output))
    if args.json:
        print(json.dumps(summary))
    elif result.ok:
        width = max([len(n) for n in result.parts] + [4])
        print(f"{'part':<{width}}  {'vertices':>9}  {'faces':>9}")
        for name, info in summary["parts"].items():
            print(f"{name:<{width}}  {info['vertices']:>9}  {info['faces']:>9}")
        print(
            f"{len(result.parts)} parts, {summary['vertices']} vertices, {summary['faces']} faces "
            f"in {summary['seconds']:.3f} s" + (f" -> {summary['output']}" if "output" in summary else "")
        )
    else:
        print(f"{args.program}: {result.reason}")
    return 0 if result.ok else 1
