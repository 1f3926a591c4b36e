"""Operations applied to a shape or a part after it is made: bevel, subdivision, smoothing, bending and
boolean cuts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from meshcoder.data.generators.design import call
from meshcoder.data.generators.geometry import DOWN
from meshcoder.data.generators.seating.rotations import qmat

if TYPE_CHECKING:
    from meshcoder.data.generators.seating.shapes import Shape


@dataclass
class Bevel:
    width: float  # local units of the object (a fraction of a unit cube's half size)
    segments: int = 3

    def emit(self, p, w, name, names=None):
        call(p, "bevel", name=name, width=float(w.round(self.width)), segments=self.segments)

    def points(self, w, pts):
        return pts


@dataclass
class Subsurf:
    levels: int = 1

    def emit(self, p, w, name, names=None):
        call(p, "subsurf", name=name, levels=self.levels)

    def points(self, w, pts):
        return pts


@dataclass
class Smooth:
    factor: float = 0.5
    repeat: int = 5

    def emit(self, p, w, name, names=None):
        call(p, "corrective_smooth", name=name, factor=self.factor, repeat=self.repeat)

    def points(self, w, pts):
        return pts


@dataclass
class Bend:
    """Simple Deform BEND about a vertical axis through ``origin``: the object's X extent curls by
    ``angle`` (units of pi) towards the frame's +Y, which is +Z (the front) for the default frame."""

    angle: float
    origin: Sequence[float]
    frame: Sequence[float] = DOWN  # X stays X, Y to +Z, Z to -Y

    def emit(self, p, w, name, names=None):
        call(
            p, "add_simple_deform_modifier", name=name, mode="BEND", angle=float(w.round(self.angle)),
            origin=w.round(w.canonical.p(self.origin)), rotation=list(self.frame), axis="Z",
        )  # fmt: skip

    def points(self, w, pts):
        o, R = w.round(w.canonical.p(self.origin)), qmat(self.frame)
        local = (pts - o) @ R
        x, y = local[:, 0], local[:, 1]
        span = max(x.max() - x.min(), 1e-9)
        k = float(w.round(self.angle)) * math.pi / span
        if abs(k) < 1e-7:
            return pts
        theta = x * k
        out = local.copy()
        out[:, 0] = -(y - 1 / k) * np.sin(theta)
        out[:, 1] = (y - 1 / k) * np.cos(theta) + 1 / k
        return out @ R.T + o


@dataclass
class Cut:
    """Boolean difference with a ``cutter`` shape: holes, slots, finger pulls. A cut only removes,
    so the object's box stays what its own points say."""

    cutter: Shape

    def emit(self, p, w, name, names=None):
        helper = names(self.cutter.kind)
        self.cutter.emit(p, w, helper, names)
        call(p, "boolean_operation", name1=name, name2=helper, operation="DIFFERENCE")

    def points(self, w, pts):
        return pts
