"""Writing shape programs from Python: what every procedural generator uses.

>>> b = ProgramBuilder("side table")
>>> with b.part("leg") as p:
...     p.call("create_primitive", name=p.obj, primitive_type="cylinder", scale=[0.03, 0.03, 0.25])
>>> print(b.to_text())                                   # doctest: +SKIP

A part's final object is ``'<label>_<i>'`` (``p.obj``) and its helper objects are named with the same
suffix (``p.helper("curve")`` -> ``'curve_<i>'``), as the spec says, so parts can later be reordered and
renumbered by :func:`renumber_parts` without touching anything else. Numbers are written with the
spec's formatting (2 decimals; 3 for control points; 4 for thicknesses).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import HEADER, Program, format_call, parse


@dataclass
class PartWriter:
    """Calls of one part, in the order they run."""

    index: int
    label: str
    lines: list[str] = field(default_factory=list)

    @property
    def obj(self) -> str:
        """The part's final object name, ``'<label>_<index>'``."""
        return f"{self.label}_{self.index}"

    def helper(self, kind: str, *numbers: int) -> str:
        """A helper object's name for this part: ``helper('curve')`` -> ``'curve_<i>'``,
        ``helper('quad', 1)`` -> ``'quad_1_<i>'``."""
        middle = "".join(f"_{n}" for n in numbers)
        return f"{kind}{middle}_{self.index}"

    def call(self, function: str, **arguments) -> None:
        """Append ``function(**arguments)``; unknown functions or arguments fail here, not at run time.

        An argument given as ``None`` whose default is ``None`` is left out, to keep programs short.
        """
        spec = catalogue().get(function)
        if spec is None:
            raise ValueError(f"{function!r} is not a catalogue function")
        unknown = set(arguments) - set(spec.parameter_names)
        if unknown:
            raise ValueError(f"{function}() has no argument(s) {sorted(unknown)}")
        defaults = {p.name: p.default for p in spec.parameters if not p.required}
        kept = {k: _plain(v) for k, v in arguments.items() if not (v is None and defaults.get(k, 0) is None)}
        self.lines.append(format_call(function, kept))


def _plain(value):
    """numpy scalars and arrays to plain Python numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class ProgramBuilder:
    """Collects parts and writes the program text (header, object name, parts in order)."""

    def __init__(self, object_name: str):
        self.object_name = object_name
        self.parts: list[PartWriter] = []

    @contextmanager
    def part(self, label: str) -> Iterator[PartWriter]:
        """A new part numbered after the previous ones; its calls are kept when the block ends."""
        label = str(label).strip()
        if not label or "\n" in label or "_" in label.replace(" ", ""):
            raise ValueError(f"a part label is a few words without underscores, got {label!r}")
        writer = PartWriter(len(self.parts) + 1, label)
        yield writer
        if not writer.lines:
            raise ValueError(f"part {writer.index} ({label!r}) has no calls")
        self.parts.append(writer)

    def to_text(self) -> str:
        out = [HEADER, f"# object name: {self.object_name}"]
        for p in self.parts:
            out.append(f"# part_{p.index}: {p.label}")
            out.extend(p.lines)
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def program(self) -> Program:
        """The validated program (raises ProgramError if a generator wrote something invalid)."""
        return parse(self.to_text())


def renumber_parts(program: Program, order: Sequence[int]) -> str:
    """The program's text with its parts put in ``order`` (old indices) and numbered 1..n again.

    Object names ending in ``_<old index>`` inside a part's calls are renamed to the new index; this is
    what the naming rule of the spec makes safe.
    """
    by_index = {p.index: p for p in program.parts}
    if sorted(order) != sorted(by_index):
        raise ValueError(f"order {list(order)} is not a permutation of the parts {sorted(by_index)}")
    out = [HEADER, f"# object name: {program.object_name}"]
    for new, old in enumerate(order, start=1):
        part = by_index[old]
        out.append(f"# part_{new}: {part.label}")
        pattern = re.compile(rf"(['\"])([^'\"]*?)_{old}\1")
        for call in part.calls:
            out.append(pattern.sub(lambda m, n=new: f"{m[1]}{m[2]}_{n}{m[1]}", call.text))
        out.append("")
    return "\n".join(out).rstrip() + "\n"
