"""An object drawn in metres and written through the frame of its whole box.

Positions and lengths are wrapped (:class:`Pos`, :class:`Len`) until that frame exists; values that depend
on how the frame rounds (array pitches and counts, thin profiles) are computed then (:class:`Fn`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.frame import Frame


class Pos:
    """A position (or a list of positions) in metres, written once the frame is known."""

    def __init__(self, value):
        self.value = np.asarray(value, dtype=float)


class Len:
    """A length (or a nested list of lengths) in metres, written once the frame is known.

    ``floor`` keeps every written value at least that large (canonical units), so a thin part's scale
    does not round to zero at two decimals."""

    def __init__(self, value, floor: float = 0.0):
        self.value = value
        self.floor = floor


class Fn:
    """Any value computed from the frame once it is known (``fn(frame)``)."""

    def __init__(self, fn):
        self.fn = fn


def _resolve(value, frame: Frame):
    """``value`` as the program writes it in ``frame`` (deferred values resolved, lists element-wise)."""
    if isinstance(value, Fn):
        return value.fn(frame)
    if isinstance(value, Pos):
        v = value.value
        return frame.p(v) if v.ndim == 1 else frame.ps(v)
    if isinstance(value, Len):
        out = np.asarray(value.value, dtype=float) * frame.scale
        if value.floor:
            out = np.where(np.abs(out) < value.floor, np.copysign(value.floor, out), out)
        return out.tolist()
    if isinstance(value, list | tuple):
        return [_resolve(v, frame) for v in value]
    return value


class Part:
    """Calls of one part, kept in metres until :meth:`Design.build`."""

    def __init__(self, index: int, label: str):
        self.index = index
        self.label = label
        self.calls: list[tuple[str, dict]] = []
        self.used: dict[str, int] = {}

    @property
    def obj(self) -> str:
        """The name of the part's object: '<label>_<index>'."""
        return f"{self.label}_{self.index}"

    def helper(self, kind: str, *numbers: int) -> str:
        """A helper object's name in this part: '<kind>[_<n>...]_<index>'."""
        middle = "".join(f"_{n}" for n in numbers)
        return f"{kind}{middle}_{self.index}"

    def fresh(self, kind: str) -> str:
        """A helper name not used before in this part: 'circle_<i>', then 'circle_2_<i>', ..."""
        self.used[kind] = self.used.get(kind, 0) + 1
        n = self.used[kind]
        return self.helper(kind) if n == 1 else self.helper(kind, n)

    def call(self, function: str | Fn, **arguments) -> None:
        """Record a call; ``function`` may be an :class:`Fn` giving, once the frame is known, the
        list of ``(function, arguments)`` calls to write in its place."""
        self.calls.append((function, arguments))


class Design:
    """An object drawn in metres: its parts' calls and the box that holds them."""

    def __init__(self, object_name: str):
        self.object_name = object_name
        self.parts: list[Part] = []
        self.lo = np.full(3, np.inf)
        self.hi = np.full(3, -np.inf)
        self.clouds: list[np.ndarray] = []  # what was grown, so radial copies can be measured

    @contextmanager
    def part(self, label: str) -> Iterator[Part]:
        """A new part, added to the design when the ``with`` block ends."""
        part = Part(len(self.parts) + 1, label)
        yield part
        self.parts.append(part)

    def grow(self, points, pad=0.0) -> None:
        """Widen the box to hold ``points`` (N x 3 metres), each padded by ``pad`` (scalar or per axis)."""
        pts = np.asarray(points, dtype=float).reshape(-1, 3)
        pad = np.broadcast_to(np.asarray(pad, dtype=float), (3,))
        if np.any(pad):
            pts = np.concatenate([pts] + [pts + sign * pad * e for e in np.eye(3) for sign in (-1, 1)])
        self.clouds.append(pts)
        self.lo = np.minimum(self.lo, pts.min(axis=0))
        self.hi = np.maximum(self.hi, pts.max(axis=0))

    def mark(self) -> int:
        """A bookmark: what is grown after it can be copied round an axis by :meth:`grow_radial`."""
        return len(self.clouds)

    def grow_radial(self, mark: int, centre, count: int, step: float) -> None:
        """Copies of everything grown since ``mark`` turned ``step`` radians apart about the vertical
        axis through ``centre`` (what ``array_rotate`` about +Y makes)."""
        pts = np.concatenate(self.clouds[mark:]) - np.asarray(centre, dtype=float)
        for k in range(1, count):
            c, s = math.cos(k * step), math.sin(k * step)
            # a turn about +Y by the angle: x' = c x + s z, z' = -s x + c z
            turned = np.stack(
                [c * pts[:, 0] + s * pts[:, 2], pts[:, 1], -s * pts[:, 0] + c * pts[:, 2]], axis=1
            )
            self.grow(turned + np.asarray(centre, dtype=float))

    def build(self, final_query: bool = False) -> ProgramBuilder:
        """The program: every part's calls written through the frame of the box grown so far (with a
        closing ``get_faces`` query on the last part when ``final_query``)."""
        frame = Frame(self.lo, self.hi)
        builder = ProgramBuilder(self.object_name)
        for n, part in enumerate(self.parts):
            with builder.part(part.label) as writer:
                for function, arguments in part.calls:
                    calls = function.fn(frame) if isinstance(function, Fn) else [(function, arguments)]
                    for name, args in calls:
                        values = {k: _resolve(v, frame) for k, v in args.items() if v is not None}
                        writer.call(name, **{k: v for k, v in values.items() if v is not None})
                if final_query and n == len(self.parts) - 1:
                    writer.call("get_faces")
        return builder


def snap(length: float, frame: Frame) -> float:
    """A pitch as the program will write it (two decimals, canonical units), never zero."""
    return max(round(length * frame.scale, 2), 0.01)
