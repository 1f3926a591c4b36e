"""``meshcoder validate PROGRAM.py ...``: check programs against the grammar and bounds, without running."""

from __future__ import annotations

import argparse
from pathlib import Path

from meshcoder.cli import CLIError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("validate", help="check shape programs without running them", description=__doc__)
    p.add_argument("programs", type=Path, nargs="+", help="shape programs (.py)")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also require the spec's part structure (object name, parts numbered 1..n)",
    )
    return p


def run(args) -> int:
    from meshcoder.shapes.program import ProgramError, parse

    failures = 0
    for path in args.programs:
        if not path.is_file():
            raise CLIError(f"{path}: no such file")
        try:
            program = parse(path.read_text())
        except ProgramError as err:
            failures += 1
            print(f"{path}:{err.line or 0}: invalid: {err.reason}")
            continue
        problems = program.structure_problems() if args.strict else []
        if problems:
            failures += 1
            for problem in problems:
                print(f"{path}: structure: {problem}")
            continue
        print(
            f"{path}: ok ({len(program.parts)} parts, {len(program.calls)} calls, "
            f"about {program.estimated_vertices:,} vertices)"
        )
    return 1 if failures else 0
