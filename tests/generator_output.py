"""Pinned generator output: the program hashes of a few seeds per generator, and program statistics per
category over more seeds, so a refactor of the generators shows what it changed.

    .venv/bin/python -m tests.generator_output record     # after a deliberate change: re-record

``tests/test_generator_output.py`` compares the generators with ``tests/data/generator_output.json``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from meshcoder.data.categories import generate_program, generators

RECORD = Path(__file__).parent / "data" / "generator_output.json"
#: Seeds whose programs are pinned byte for byte, per generator (object categories and part types).
HASH_SEEDS = (0, 1, 2, 17)
#: Seeds the per-category statistics are taken over.
STATISTIC_SEEDS = range(20)


def program_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def statistics(texts: list[str]) -> dict:
    """What a program of a generator is made of, over several seeds: parts, calls per library function,
    numbers written, distinct programs (the generator's variety)."""
    calls: Counter = Counter()
    parts, numbers = [], []
    for text in texts:
        tree = ast.parse(text)
        count = 0
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                calls[node.func.id] += 1
            elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
                count += 1
        numbers.append(count)
        parts.append(text.count("\n# part_"))
    n = len(texts)
    return {
        "programs": n,
        "distinct": len(set(texts)),
        "mean_parts": round(sum(parts) / n, 3),
        "max_parts": max(parts),
        "mean_numbers": round(sum(numbers) / n, 2),
        "calls_per_program": {name: round(k / n, 3) for name, k in sorted(calls.items())},
    }


def current() -> dict:
    table = generators()
    return {
        "hashes": {name: [program_hash(generate_program(name, s)) for s in HASH_SEEDS] for name in table},
        "statistics": {
            name: statistics([generate_program(name, s) for s in STATISTIC_SEEDS]) for name in table
        },
    }


def main(argv: list[str]) -> None:
    if argv[:1] != ["record"]:
        raise SystemExit(__doc__)
    RECORD.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {RECORD}")


if __name__ == "__main__":
    main(sys.argv[1:])
