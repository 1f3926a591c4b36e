"""``meshcoder validate PROGRAM.py ...``: check programs against the grammar and bounds, without running.

Each program gets one line on stdout (ok, or invalid with the line and reason); a file that cannot be
read (missing, a folder, not UTF-8) gets one line on stderr and the rest are still checked. The exit
status is 2 when a file could not be read, else 1 when a program is invalid, else 0."""

from __future__ import annotations

import argparse
from pathlib import Path


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
    import sys

    from meshcoder.evaluation.loading import ProgramReadError, read_program
    from meshcoder.shapes.program import ProgramError, parse

    failures = unreadable = 0
    for path in args.programs:
        # A file that cannot be read is reported and skipped: the other programs are still checked.
        try:
            source = read_program(path)
        except ProgramReadError as err:
            unreadable += 1
            print(f"meshcoder validate: error: {err}", file=sys.stderr)
            continue
        try:
            program = parse(source)
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
    return 2 if unreadable else 1 if failures else 0
