"""Repair of generated programs: run what can run, drop what cannot, and say what was dropped.

A generated text reaches here already cut back to its last complete, valid part by decoding
(:func:`meshcoder.shapes.grammar.finish_program`; what that cut is :class:`~meshcoder.shapes.grammar.Cut`).
What decoding cannot see is a part that fails in Blender. :func:`run_repaired` runs the program; when a
part fails at run time (the worker names the line), that part is dropped and the rest runs again, part by
part until it runs or nothing is left. A failure that names no line (a timeout, a crashed worker, a
program that makes no mesh) is located by halving: the longest runnable prefix of whole parts is kept.

    outcome = run_repaired(text, pool)
    outcome.result.ok, outcome.text, outcome.dropped    # ['part_3 (arm): runtime_error (line 14): ...']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from meshcoder.shapes.executor import ExecutionResult, ExecutorPool, Status
from meshcoder.shapes.grammar import finish_program
from meshcoder.shapes.program import ProgramError, validate

_PART_LINE = re.compile(r"^#\s*part_(?P<index>\d+):\s*(?P<label>.*?)\s*$")
#: Reruns a repair may spend on one program (each dropped part costs one).
MAX_RERUNS = 16


@dataclass
class Repair:
    """What running (and repairing) one program gave: the ``text`` that ran, its ``result``, the parts
    ``dropped`` (one line each: part, label and why), the number of ``runs`` and the ``first`` result
    (the unrepaired program's)."""

    text: str
    result: ExecutionResult
    dropped: list[str] = field(default_factory=list)
    runs: int = 1
    first: ExecutionResult | None = None

    @property
    def repaired(self) -> bool:
        return bool(self.dropped)


@dataclass(frozen=True)
class _Block:
    """A part as lines of the source: ``start`` (its comment) up to ``end`` (exclusive)."""

    index: int
    label: str
    start: int
    end: int

    def describe(self) -> str:
        return f"part_{self.index} ({self.label})"


def part_blocks(text: str) -> tuple[list[str], list[_Block]]:
    """The text's lines (ends kept) and its parts as line ranges, in order."""
    lines = text.splitlines(keepends=True)
    starts = [(i, m) for i, line in enumerate(lines) if (m := _PART_LINE.match(line.rstrip("\n")))]
    blocks = []
    for k, (i, m) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        blocks.append(_Block(int(m["index"]), m["label"], i, end))
    return lines, blocks


def without(lines: list[str], blocks: list[_Block], drop: set[int]) -> str:
    """The text with the blocks at positions ``drop`` removed."""
    removed = set()
    for position in drop:
        removed.update(range(blocks[position].start, blocks[position].end))
    return "".join(line for i, line in enumerate(lines) if i not in removed)


def run_repaired(
    text: str, pool: ExecutorPool, repair: bool = True, first: ExecutionResult | None = None
) -> Repair:
    """Run ``text`` in ``pool``; with ``repair``, drop failing parts until the rest runs.

    Args:
        text: a program (one that does not validate is first cut back by ``finish_program``).
        pool: the executor pool.
        repair: False runs the text as it is and reports the result.
        first: the text's result when the caller already ran it (saves a run).
    """
    result = first if first is not None else pool.run(text)
    outcome = Repair(text, result, runs=0 if first is not None else 1, first=result)
    if result.ok or not repair:
        return outcome
    if result.status is Status.INVALID:
        text, cut = finish_program(text)
        if cut.reason is not None:
            outcome.dropped.append(f"{cut.parts} part(s) cut at the end: {cut.reason}")
        outcome.text, outcome.result = text, pool.run(text)
        outcome.runs += 1
        if outcome.result.ok:
            return outcome
    lines, blocks = part_blocks(outcome.text)
    dropped: set[int] = set()
    while not outcome.result.ok and outcome.runs < MAX_RERUNS and len(dropped) < len(blocks):
        result = outcome.result
        position = _owner(blocks, _original_line(blocks, dropped, result.line)) if result.line else None
        if position is not None and position not in dropped:
            dropped.add(position)
            outcome.dropped.append(f"{blocks[position].describe()}: {result.reason}")
            outcome.text = without(lines, blocks, dropped)
            outcome.result = pool.run(outcome.text)
            outcome.runs += 1
            continue
        if result.line and position is None:
            break  # the header or the object-name line failed: nothing part-wise to drop
        _keep_runnable_prefix(outcome, pool, lines, blocks, dropped)
        break
    return outcome


def _original_line(blocks: list[_Block], dropped: set[int], line: int) -> int:
    """The 1-based line of the undropped text that is ``line`` of the text without ``dropped``."""
    removed = sorted(i for p in dropped for i in range(blocks[p].start, blocks[p].end))
    original = line - 1
    for i in removed:  # every removed line at or before the position shifts it down by one
        if i <= original:
            original += 1
    return original + 1


def _owner(blocks: list[_Block], line: int) -> int | None:
    """Position of the block holding 1-based ``line``."""
    for position, block in enumerate(blocks):
        if block.start < line <= block.end:
            return position
    return None


def _keep_runnable_prefix(
    outcome: Repair, pool: ExecutorPool, lines: list[str], blocks: list[_Block], dropped: set[int]
) -> None:
    """Keep the longest prefix of the remaining parts that runs (binary search over prefix lengths)."""
    remaining = [p for p in range(len(blocks)) if p not in dropped]
    reason = outcome.result.reason
    low, high = 0, len(remaining) - 1  # prefix lengths: `low` assumed to run, `high` known to fail
    best: tuple[str, ExecutionResult] | None = None
    while low < high and outcome.runs < MAX_RERUNS:
        middle = (low + high + 1) // 2
        text = without(lines, blocks, dropped | set(remaining[middle:]))
        result = pool.run(text)
        outcome.runs += 1
        if result.ok:
            low, best = middle, (text, result)
        else:
            high = middle - 1
    if best is None:
        return  # not even the first part runs: leave the failure as it is
    for position in remaining[low:]:
        outcome.dropped.append(
            f"{blocks[position].describe()}: dropped with the parts after a failure ({reason})"
        )
    outcome.text, outcome.result = best


def box_program(bounds, label: str = "shape") -> str:
    """The last resort when nothing else runs: one cube spanning ``bounds`` (2 x 3, canonical frame).

    It validates and runs, so a user always gets a program; the prediction says it is a fallback.
    """
    from meshcoder.shapes.program import HEADER, format_call

    low, high = (list(map(float, b)) for b in bounds)
    centre = [(a + b) / 2 for a, b in zip(low, high)]
    half = [max((b - a) / 2, 0.005) for a, b in zip(low, high)]
    call = format_call(
        "create_primitive",
        {"name": f"{label}_1", "primitive_type": "cube", "location": centre, "scale": half},
    )
    text = f"{HEADER}\n# object name: {label}\n# part_1: {label}\n{call}\n"
    try:
        validate(text)
    except ProgramError as err:  # pragma: no cover - the call above is fixed
        raise RuntimeError(f"the fallback box does not validate: {err}") from err
    return text
