"""Cushions of sofas and armchairs: bridged-ellipse pillows and rounded boxes."""

from __future__ import annotations

import numpy as np

from meshcoder.data.generators.geometry import Z_AXIS
from meshcoder.data.generators.seating.ops import Bevel, Smooth, Subsurf
from meshcoder.data.generators.seating.pieces import uniform
from meshcoder.data.generators.seating.shapes import Box, Loft, Shape


def pillow(c, half, R: np.ndarray | None = None, ends: float = 0.85, cuts: int = 4) -> Loft:
    """A cushion as bridged ellipses along its local Z (``half`` = half width, half thickness, half
    length), fuller in the middle than at the ends."""
    c = np.asarray(c, float)
    hx, hy, hz = half
    axis = (R if R is not None else np.eye(3)) @ Z_AXIS
    secs = []
    for s, k in ((-1.0, ends), (-0.8, 1.0), (0.8, 1.0), (1.0, ends)):
        secs.append((c + axis * s * hz, (hx * k, hy * k), R))
    return Loft(secs, cuts=cuts)


def cushion_shape(rng, style: str, c, half, R: np.ndarray | None = None) -> tuple[Shape, list]:
    """A seat or back cushion: bridged ellipses ('pillow') or a rounded box."""
    if style == "pillow":
        return pillow(c, half, R), [Smooth()]
    return Box(c, half, R), [Bevel(uniform(rng, 0.3, 0.6), 2), Subsurf(1)]
