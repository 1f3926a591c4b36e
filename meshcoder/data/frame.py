"""Design coordinates to the canonical frame (Y up, centred, longest side 1).

Generators think in natural units (metres, say) and know their object's bounding box; a :class:`Frame`
maps positions and lengths so the written program is already canonical. Quantities in an object's
unscaled local space (a bevel width on a unit cube, a section's own radius before ``scale``) are not
lengths of the object and must not go through it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Frame:
    """Maps the box ``[lo, hi]`` (design units) onto the canonical frame."""

    def __init__(self, lo: Sequence[float], hi: Sequence[float]):
        lo_a, hi_a = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        size = hi_a - lo_a
        if lo_a.shape != (3,) or np.any(size < 0) or size.max() <= 0:
            raise ValueError(f"a frame needs a 3D box with positive size, got lo={lo}, hi={hi}")
        self.centre = (lo_a + hi_a) / 2
        self.scale = 1.0 / float(size.max())

    def p(self, xyz: Sequence[float]) -> list[float]:
        """A design-space position in canonical coordinates."""
        return ((np.asarray(xyz, dtype=float) - self.centre) * self.scale).tolist()

    def ps(self, points: Sequence[Sequence[float]]) -> list[list[float]]:
        """Several positions."""
        return [self.p(q) for q in points]

    def l(self, length: float | Sequence[float]):  # noqa: E743 (short name reads well in generators)
        """A design-space length (or several) in canonical units."""
        if isinstance(length, int | float | np.floating):
            return float(length) * self.scale
        return (np.asarray(length, dtype=float) * self.scale).tolist()
