"""One object as labelled parts of design-space shapes: fitting the canonical frame to the rounded program
and writing it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.geometry import UP, Y_AXIS, rotation_about
from meshcoder.data.generators.seating.ops import Bevel
from meshcoder.data.generators.seating.shapes import Names, Shape
from meshcoder.data.generators.seating.written import call, rounded, unrounded

#: Frame scales the fit tries around the unrounded fit: 1, then alternately smaller and larger.
FRAME_TRIES = 25
#: The relative scale step between tries.
FRAME_STEP = 0.0008
#: A try this close to canonical (longest side within it of 1, centre within three times it of the
#: origin) ends the search.
FRAME_TOLERANCE = 0.0025


@dataclass
class _Part:
    label: str
    shapes: list
    ops: list
    array: tuple | None  # (count, offset) or (count1, offset1, count2, offset2)
    radial: tuple | None  # (count, centre)


class Design:
    """The parts of one object in design units; ``build`` fits the frame and writes the program."""

    def __init__(self, name: str):
        self.name = name
        self.parts: list[_Part] = []

    def add(self, label: str, *shapes: Shape, ops=(), array=None, radial=None) -> None:
        shapes, ops = list(shapes), list(ops)
        if len(shapes) == 1 and ops:  # one shape: its ops are the part's (written the same)
            shapes[0].ops = list(shapes[0].ops) + ops
            ops = []
        self.parts.append(_Part(label, shapes, ops, array, radial))

    def _points(self, part: _Part, f: Frame) -> np.ndarray:
        pts = np.concatenate([s.final_points(f) for s in part.shapes])
        for op in part.ops:
            pts = op.points(f, pts)
        if part.array is not None:
            copies = [pts]
            a = part.array
            for k in range(1, a[0]):
                copies.append(pts + k * rounded(f.l(a[1])))
            pts = np.concatenate(copies)
            if len(a) == 4:
                pts = np.concatenate([pts + k * rounded(f.l(a[3])) for k in range(a[2])])
        if part.radial is not None:
            count, centre = part.radial
            o, step = rounded(f.p(centre)), float(rounded(2.0 / count)) * np.pi
            pts = np.concatenate([(pts - o) @ rotation_about(Y_AXIS, step * k).T + o for k in range(count)])
        return pts

    def _bounds(self, f: Frame) -> tuple[np.ndarray, np.ndarray]:
        pts = np.concatenate([self._points(part, f) for part in self.parts])
        return pts.min(0), pts.max(0)

    def frame(self) -> Frame:
        """The frame whose written program spans a box of longest side 1 centred on the origin.

        The frame is first fitted to the unrounded design; rounding the written numbers then moves
        the geometry by a few thousandths, differently for every scale, so nearby scales are tried
        and the one whose rounded program fits best is kept.
        """

        def measure(f: Frame) -> tuple[float, np.ndarray]:
            lo, hi = self._bounds(f)
            return float((hi - lo).max()), (lo + hi) / 2

        with unrounded():
            size, mid = measure(Frame([-0.5] * 3, [0.5] * 3))
        centre, half = mid, 0.5 * size
        best, best_err = None, math.inf
        for k in range(FRAME_TRIES):
            nudge = 1 + FRAME_STEP * ((k + 1) // 2) * (1 if k % 2 else -1)
            f = Frame(centre - half * nudge, centre + half * nudge)
            size, mid = measure(f)
            # the size matters most (2% allowed); the centre has 0.02 of slack, so it counts less
            err = max(abs(size - 1), float(np.abs(mid).max()) / 3)
            if err < best_err:
                best, best_err = f, err
            if best_err < FRAME_TOLERANCE:
                break
        return best

    def build(self) -> ProgramBuilder:
        """The program: the parts in the order added, written in the fitted frame."""
        f = self.frame()
        b = ProgramBuilder(self.name)
        for part in self.parts:
            with b.part(part.label) as p:
                self._emit(part, p, f)
        return b

    def _emit(self, part: _Part, p: PartWriter, f: Frame) -> None:
        names = Names(p)
        apply = part.array is not None  # arrays offset in world units, as programs usually do
        if apply and any(isinstance(op, Bevel) for shape in part.shapes for op in shape.ops):
            raise ValueError(f"part {part.label!r}: a bevel on an applied (arrayed) shape is in world units")
        made = []
        for i, shape in enumerate(part.shapes):
            name = p.obj if i == 0 else names(shape.kind)
            shape.emit(p, f, name, names, apply=apply)
            shape.finish(p, f, name, names)
            made.append(name)
        if len(made) > 1:
            call(p, "join_obj", name=p.obj, seq_name=made[1:] + made[:1])
        for op in part.ops:
            op.emit(p, f, p.obj, names)
        if part.array is not None:
            a = part.array
            if len(a) == 2:
                call(p, "array_1d", name=p.obj, count=a[0], constant_offset=rounded(f.l(a[1])))
            else:
                call(
                    p, "array_2d", name=p.obj, count_1=a[0], constant_offset_1=rounded(f.l(a[1])),
                    count_2=a[2], constant_offset_2=rounded(f.l(a[3])),
                )  # fmt: skip
        if part.radial is not None:
            count, centre = part.radial
            call(
                p, "array_rotate", name=p.obj, count=count, rotation_angle=float(rounded(2.0 / count)),
                rotation_origin=rounded(f.p(centre)), rotation_axis=UP, rotation_mode="QUATERNION",
            )  # fmt: skip
